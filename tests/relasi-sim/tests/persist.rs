//! `--state`: a workspace saved and loaded again answers the API as before, and continues where it was
//! (ids, idempotent replays); the binary saves on SIGTERM, `--fresh` starts empty, and a corrupt file
//! stops the start with exit code 2.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use relasi_sim::persist::{self, Saver};
use relasi_sim::{ApiKey, Sim, SimConfig};
use serde_json::{json, Value};

#[allow(dead_code)] // Each test file uses only some of the shared helpers.
mod common;

const KEY: &str = "ru_test_dev.local-development-only";

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("relasi-sim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn call(client: &reqwest::Client, base: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{base}/api/public/v1{path}");
    let req = match method {
        "POST" => {
            client.post(url).header("Content-Type", "application/json").body(body.unwrap_or(Value::Null).to_string())
        }
        _ => client.get(url),
    };
    let resp = req.header("Authorization", format!("Bearer {KEY}")).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
}

async fn upload(client: &reqwest::Client, base: &str, conv: &str, bytes: Vec<u8>) -> Value {
    let form = reqwest::multipart::Form::new()
        .text("client_request_id", "img-1")
        .text("conversation_id", conv.to_owned())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("r.png").mime_str("image/png").unwrap());
    let resp = client
        .post(format!("{base}/api/public/v1/livechat/messages/image"))
        .header("Authorization", format!("Bearer {KEY}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

async fn start(store: relasi_sim::Store) -> (Sim, String) {
    let (listener, base) = common::listener().await;
    let config = SimConfig {
        rate_per_s: 1000,
        public_url: base.clone(),
        ..SimConfig::new(vec![ApiKey::parse_spec(KEY).unwrap()])
    };
    let sim = Sim::with_store(config, store);
    common::serve_on(listener, sim.router());
    (sim, base)
}

/// What a client can see of the workspace.
async fn answers(client: &reqwest::Client, base: &str, conv: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for path in ["/contacts", "/conversations", &format!("/messages?conversation_id={conv}"), "/channels"] {
        let (status, body) = call(client, base, "GET", path, None).await;
        assert_eq!(status, 200, "{path}");
        all.push(body);
    }
    all
}

#[tokio::test]
async fn a_saved_workspace_answers_the_same_after_loading() {
    let dir = scratch("lib");
    let path = dir.join("state.json");
    let client = reqwest::Client::new();
    let (before, base) = start(relasi_sim::Store::new()).await;
    let _saver = Saver::start(before.store.clone(), path.clone()).await.unwrap();

    let (_, contact) =
        call(&client, &base, "POST", "/contacts", Some(json!({"name": "Siti", "city": "Bandung"}))).await;
    let open = json!({"client_request_id": "c1", "channel_id": "ch_livechat", "customer_id": contact["id"]});
    let (_, conv) = call(&client, &base, "POST", "/livechat/conversations", Some(open.clone())).await;
    let conv_id = conv["id"].as_str().unwrap().to_owned();
    let said = json!({"client_request_id": "m1", "conversation_id": conv_id, "text": "halo", "page_url": "https://shop.test/a"});
    let (_, first) = call(&client, &base, "POST", "/livechat/messages", Some(said.clone())).await;
    let png: Vec<u8> = (0..=255).collect();
    let image = upload(&client, &base, &conv_id, png.clone()).await;
    let reply =
        json!({"client_request_id": "o1", "conversation_id": conv_id, "text": "Hi Siti", "from_user_id": "usr_ayu"});
    assert_eq!(call(&client, &base, "POST", "/messages/text", Some(reply)).await.0, 201);
    let seen = answers(&client, &base, &conv_id).await;

    // The writer catches up within about a second, without being asked.
    tokio::time::sleep(persist::SAVE_EVERY * 3).await;
    let loaded = persist::load(&path).unwrap().expect("the file was written");
    assert_eq!(loaded, *before.store.lock().await);
    assert!(!dir.join("state.json.tmp").exists(), "the temp file was renamed over the state");

    let (_after, base) = start(loaded).await;
    assert_eq!(answers(&client, &base, &conv_id).await, seen);
    let media_path = image["media"]["url"].as_str().unwrap().split_once("/media/").unwrap().1;
    let served = client.get(format!("{base}/media/{media_path}")).send().await.unwrap();
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);

    // Replays still answer the first result, and create nothing.
    let (status, again) = call(&client, &base, "POST", "/livechat/messages", Some(said)).await;
    assert_eq!((status, &again["id"]), (200, &first["id"]));
    assert_eq!(call(&client, &base, "POST", "/livechat/conversations", Some(open)).await.1["id"], conv_id.as_str());
    assert_eq!(answers(&client, &base, &conv_id).await, seen);

    // Ids continue: nothing handed out before the restart is handed out again.
    let (_, newer) = call(&client, &base, "POST", "/contacts", Some(json!({"name": "Budi"}))).await;
    let number = |id: &Value| id.as_str().unwrap().rsplit('_').next().unwrap().parse::<u64>().unwrap();
    let highest = [&contact["id"], &conv["id"], &first["id"], &image["id"]].into_iter().map(number).max().unwrap();
    assert!(number(&newer["id"]) > highest, "{} after {highest}", newer["id"]);
    let _ = std::fs::remove_dir_all(dir);
}

/// The simulator binary, listening on a free port; answers it with its base URL.
fn launch(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_relasi-sim"))
        .args(["--listen", "127.0.0.1:0", "--key", KEY])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Keep reading stdout after the first line: a closed pipe would break the simulator's later prints.
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(10)).expect("the simulator starts");
    let base = line
        .trim()
        .strip_prefix("relasi-sim listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    (child, base)
}

fn terminate(mut child: Child) {
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "SIGTERM is a clean exit: {status}");
}

async fn contact_names(client: &reqwest::Client, base: &str) -> Vec<String> {
    let (_, list) = call(client, base, "GET", "/contacts", None).await;
    list["data"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

#[cfg(unix)]
#[tokio::test]
async fn the_binary_keeps_state_across_restarts() {
    let dir = scratch("bin");
    let path = dir.join("sim.json");
    let state = path.to_str().unwrap();
    let client = reqwest::Client::new();

    let (child, base) = launch(&["--state", state]);
    call(&client, &base, "POST", "/contacts", Some(json!({"name": "Ayu"}))).await;
    // Stopped at once, most likely before the writer's next tick: the save on SIGTERM carries the contact.
    terminate(child);
    let (child, base) = launch(&["--state", state]);
    assert_eq!(contact_names(&client, &base).await, ["Ayu"]);
    terminate(child);

    let (child, base) = launch(&["--state", state, "--fresh"]);
    assert!(contact_names(&client, &base).await.is_empty());
    terminate(child);
    assert!(persist::load(&path).unwrap().unwrap().contacts.is_empty(), "--fresh replaced the file");

    std::fs::write(&path, b"{\"format\": 1, \"store\": ").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_relasi-sim"))
        .args(["--listen", "127.0.0.1:0", "--state", state])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot load state") && stderr.contains("sim.json"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"format\": 1, \"store\": ", "a bad file is left for a look");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fresh_needs_a_state_file() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_relasi-sim")).args(["--listen", "127.0.0.1:0", "--fresh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
