//! `respondio-sim`: a respond.io Custom Channel stand-in (see `relasi_sim::respondio`).

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::time::Duration;

use relasi_sim::cli;
use relasi_sim::respondio::{Channel, RioConfig, RioSim, DEFAULT_RATE_PER_S, DEV_CHANNEL};

const USAGE: &str = "respondio-sim [--listen 127.0.0.1:8082] [--channel CHANNEL_ID,API_TOKEN,API_BASE_URL]...
              [--rate-limit N]
  --channel: a Custom Channel. The edge posts visitor messages to /custom/channel/webhook/ with
    Authorization: Bearer API_TOKEN; agent replies are POSTed to API_BASE_URL/message.
  --rate-limit: webhook requests per second per channel (default 20, as documented).
  Channels may also come from RESPONDIO_SIM_CHANNELS (space-separated). Without any, one development
  channel is used: sapa_dev_channel,rio_test_token.local-development-only,
    http://127.0.0.1:8787/core/respondio/demo-rio/dev-path-secret
  Test controls: /__sim/log, /__sim/faults, /__sim/switches, /__sim/reply, /__sim/contacts, /__sim/reset.";

const DRAIN: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() {
    let mut listen: SocketAddr = "127.0.0.1:8082".parse().unwrap();
    let mut specs: Vec<String> = std::env::var("RESPONDIO_SIM_CHANNELS")
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let mut rate = DEFAULT_RATE_PER_S;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = cli::value(&mut args, fail, "--listen needs HOST:PORT"),
            "--channel" => specs.push(args.next().unwrap_or_else(|| fail("--channel needs a value"))),
            "--rate-limit" => match cli::value(&mut args, fail, "--rate-limit needs a positive number") {
                0 => fail("--rate-limit needs a positive number"),
                n => rate = n,
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other}")),
        }
    }
    let dev = specs.is_empty();
    if dev {
        specs.push(DEV_CHANNEL.to_owned());
    }
    let channels: Vec<Channel> = specs.iter().map(|s| Channel::parse_spec(s).unwrap_or_else(|e| fail(&e))).collect();
    for (i, c) in channels.iter().enumerate() {
        if channels[..i].iter().any(|o| o.id == c.id || o.token == c.token) {
            fail(&format!("channel {} repeats an earlier channel's id or token", c.id));
        }
    }

    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .unwrap_or_else(|e| fail(&format!("cannot listen on {listen}: {e}")));
    let addr = listener.local_addr().expect("bound address");
    let sim = RioSim::new(RioConfig { rate_per_s: rate, ..RioConfig::new(channels) });
    // The first line is for harnesses to read, as with relasi-sim.
    println!("respondio-sim listening on http://{addr}");
    println!("  webhook: http://{addr}/custom/channel/webhook/");
    println!("  inbox:   http://{addr}/inbox");
    for c in sim.channels.iter() {
        let origin = if dev { " (development default)" } else { "" };
        println!("  channel {}{origin}: token {}, replies to {}", c.id, c.token, c.message_url());
    }

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, sim.router()).with_graceful_shutdown(async {
        let _ = stop_rx.await;
    });
    // A retrying agent reply does not delay exit either.
    relasi_sim::serve_until_signal(server.into_future(), stop_tx, DRAIN)
        .await
        .unwrap_or_else(|e| fail(&format!("server: {e}")));
}

fn fail(msg: &str) -> ! {
    eprintln!("respondio-sim: {msg}\n{USAGE}");
    std::process::exit(2)
}
