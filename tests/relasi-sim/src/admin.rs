//! Test controls, off the public API: `/__sim/log`, `/__sim/faults`, `/__sim/webhooks`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::guard::FaultRule;
use crate::webhooks::Switches;
use crate::Sim;

pub fn router() -> Router<Sim> {
    Router::new()
        .route("/log", get(log).delete(clear_log))
        .route("/faults", axum::routing::post(add_fault).delete(clear_faults))
        .route("/webhooks", get(webhooks).post(set_webhooks))
}

/// Every public API call so far: method, path, status, key id.
async fn log(State(sim): State<Sim>) -> Json<Value> {
    Json(json!(*sim.log.lock().await))
}

async fn clear_log(State(sim): State<Sim>) -> StatusCode {
    sim.log.lock().await.clear();
    StatusCode::NO_CONTENT
}

async fn add_fault(State(sim): State<Sim>, body: Bytes) -> (StatusCode, Json<Value>) {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            sim.faults.lock().await.add(rule.clone());
            (StatusCode::CREATED, Json(json!(rule)))
        }
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string()}))),
    }
}

async fn clear_faults(State(sim): State<Sim>) -> StatusCode {
    sim.faults.lock().await.clear();
    StatusCode::NO_CONTENT
}

/// The switches, the schedule they give, every delivery attempt so far and the deliveries given up on.
async fn webhooks(State(sim): State<Sim>) -> Json<Value> {
    let switches = *sim.webhooks.switches.lock().await;
    let schedule = switches.schedule(sim.webhooks.defaults);
    let attempts = sim.webhooks.attempts.lock().await.clone();
    let given_up = sim.webhooks.given_up.lock().await.clone();
    Json(json!({"switches": switches, "schedule": schedule, "attempts": attempts, "given_up": given_up}))
}

async fn set_webhooks(State(sim): State<Sim>, body: Bytes) -> (StatusCode, Json<Value>) {
    match serde_json::from_slice::<Switches>(&body) {
        Ok(switches) => {
            *sim.webhooks.switches.lock().await = switches;
            (StatusCode::OK, Json(json!(switches)))
        }
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string()}))),
    }
}
