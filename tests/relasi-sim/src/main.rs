use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use relasi_sim::cli;
use relasi_sim::persist::{self, Saver};
use relasi_sim::{ApiKey, Endpoint, Schedule, Sim, SimConfig, Store, DEFAULT_RATE_PER_S};

const USAGE: &str = "relasi-sim [--listen 127.0.0.1:8081] [--key KEY[:scope,scope...]]... [--rate-limit N]
           [--webhook URL,SECRET[,event|event...]]... [--webhook-attempts N] [--webhook-first-retry-ms MS]
           [--state FILE [--fresh]]
  --rate-limit: requests per second per key (default 60, as documented).
  --webhook: an endpoint that receives signed events (no events or * for all).
  --webhook-attempts: sends per delivery before it is given up on (default 6; 0 drops every delivery).
  --webhook-first-retry-ms: delay before the first retry, doubling after that (default 500).
    Both can be changed at run time: POST /__sim/webhooks {\"attempts\": N, \"first_retry_ms\": MS}.
  --state: load the workspace from FILE if it exists and keep FILE up to date (within about a second,
    and on exit). Without it everything stays in memory.
  --fresh: with --state, start empty (FILE is removed).
  Keys may also come from RELASI_SIM_KEYS (space-separated). Without any, one development key with every
  scope is used: ru_test_simdev.local-development-only";

const DEV_KEY: &str = "ru_test_simdev.local-development-only";
/// How long in-flight requests get to finish after ctrl-c or SIGTERM before the last save and exit.
const DRAIN: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() {
    let mut listen: SocketAddr = "127.0.0.1:8081".parse().unwrap();
    let mut key_specs: Vec<String> =
        std::env::var("RELASI_SIM_KEYS").map(|v| v.split_whitespace().map(str::to_owned).collect()).unwrap_or_default();
    let mut endpoints = Vec::new();
    let mut rate = DEFAULT_RATE_PER_S;
    let mut schedule = Schedule::default();
    let mut state: Option<PathBuf> = None;
    let mut fresh = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = cli::value(&mut args, fail, "--listen needs HOST:PORT"),
            "--key" => key_specs.push(args.next().unwrap_or_else(|| fail("--key needs a value"))),
            "--rate-limit" => rate = cli::value(&mut args, fail, "--rate-limit needs a number"),
            "--webhook" => {
                let spec = args.next().unwrap_or_else(|| fail("--webhook needs URL,SECRET"));
                endpoints.push(Endpoint::parse_spec(&spec).unwrap_or_else(|e| fail(&e)));
            }
            "--webhook-attempts" => {
                schedule.attempts = cli::value(&mut args, fail, "--webhook-attempts needs a number")
            }
            "--webhook-first-retry-ms" => {
                schedule.first_retry_ms = cli::value(&mut args, fail, "--webhook-first-retry-ms needs milliseconds")
            }
            "--state" => state = Some(args.next().unwrap_or_else(|| fail("--state needs a FILE")).into()),
            "--fresh" => fresh = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other}")),
        }
    }
    if fresh && state.is_none() {
        fail("--fresh only means something with --state FILE");
    }
    if key_specs.is_empty() {
        key_specs.push(DEV_KEY.to_owned());
    }
    let keys: Vec<ApiKey> =
        key_specs.iter().map(|spec| ApiKey::parse_spec(spec).unwrap_or_else(|e| fail(&e))).collect();

    // Load before listening, so a bad file stops the start rather than serving an empty workspace.
    let store = match &state {
        Some(path) if fresh => {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => die(&format!("cannot remove state {}: {e}", path.display())),
            }
            Store::new()
        }
        Some(path) => persist::load(path)
            .unwrap_or_else(|e| die(&format!("{e}\n  (move it away, or start empty with --fresh)")))
            .unwrap_or_default(),
        None => Store::new(),
    };
    let conversations = store.conversations.len();

    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .unwrap_or_else(|e| fail(&format!("cannot listen on {listen}: {e}")));
    let addr = listener.local_addr().expect("bound address");
    let config = SimConfig {
        keys,
        endpoints,
        rate_per_s: rate,
        public_url: format!("http://{addr}"),
        webhook_schedule: schedule,
    };
    let sim = Sim::with_store(config, store);
    let saver = match &state {
        Some(path) => Some(Saver::start(sim.store.clone(), path.clone()).await.unwrap_or_else(|e| die(&e))),
        None => None,
    };
    // The first line is machine-read by the dev and test harnesses.
    println!("relasi-sim listening on http://{addr}");
    println!("  API:   http://{addr}/api/public/v1");
    println!("  inbox: http://{addr}/inbox");
    if let Some(path) = &state {
        println!("  state: {} ({conversations} conversations loaded)", path.display());
    }

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    // Connection info feeds the per-key IP allowlists.
    let server = axum::serve(listener, sim.router().into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = stop_rx.await;
        });
    relasi_sim::serve_until_signal(server.into_future(), stop_tx, DRAIN).await.expect("server");
    if let Some(saver) = saver {
        if let Err(e) = saver.save().await {
            die(&format!("cannot write state on exit: {e}"));
        }
    }
}

/// A bad argument: the message and the usage.
fn fail(msg: &str) -> ! {
    eprintln!("relasi-sim: {msg}\n{USAGE}");
    std::process::exit(2)
}

/// A problem with the state file: the message alone.
fn die(msg: &str) -> ! {
    eprintln!("relasi-sim: {msg}");
    std::process::exit(2)
}
