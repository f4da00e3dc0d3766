use std::net::SocketAddr;

use relasi_sim::{ApiKey, Endpoint, Sim, SimConfig, DEFAULT_RATE_PER_S};

const USAGE: &str = "relasi-sim [--listen 127.0.0.1:8081] [--key KEY[:scope,scope...]]... [--rate-limit N]
           [--webhook URL,SECRET[,event|event...]]...
  --rate-limit: requests per second per key (default 60, as documented).
  --webhook: an endpoint that receives signed events (no events or * for all).
  Keys may also come from RELASI_SIM_KEYS (space-separated). Without any, one development key with every
  scope is used: ru_test_simdev.local-development-only";

const DEV_KEY: &str = "ru_test_simdev.local-development-only";

#[tokio::main]
async fn main() {
    let mut listen: SocketAddr = "127.0.0.1:8081".parse().unwrap();
    let mut key_specs: Vec<String> = std::env::var("RELASI_SIM_KEYS")
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let mut endpoints = Vec::new();
    let mut rate = DEFAULT_RATE_PER_S;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| fail("--listen needs HOST:PORT")),
            "--key" => key_specs.push(args.next().unwrap_or_else(|| fail("--key needs a value"))),
            "--rate-limit" => rate = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| fail("--rate-limit needs a number")),
            "--webhook" => {
                let spec = args.next().unwrap_or_else(|| fail("--webhook needs URL,SECRET"));
                endpoints.push(Endpoint::parse_spec(&spec).unwrap_or_else(|e| fail(&e)));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other}")),
        }
    }
    if key_specs.is_empty() {
        key_specs.push(DEV_KEY.to_owned());
    }
    let keys: Vec<ApiKey> = key_specs
        .iter()
        .map(|spec| ApiKey::parse_spec(spec).unwrap_or_else(|e| fail(&e)))
        .collect();

    let listener = tokio::net::TcpListener::bind(listen).await.unwrap_or_else(|e| fail(&format!("cannot listen on {listen}: {e}")));
    let addr = listener.local_addr().expect("bound address");
    let sim = Sim::new(SimConfig { keys, endpoints, rate_per_s: rate, public_url: format!("http://{addr}") });
    // The first line is machine-read by the dev and test harnesses.
    println!("relasi-sim listening on http://{addr}");
    println!("  API:   http://{addr}/api/public/v1");
    println!("  inbox: http://{addr}/inbox");
    // Connection info feeds the per-key IP allowlists.
    axum::serve(listener, sim.router().into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .expect("server");
}

fn fail(msg: &str) -> ! {
    eprintln!("relasi-sim: {msg}\n{USAGE}");
    std::process::exit(2)
}
