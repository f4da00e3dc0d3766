//! `--state FILE`: the workspace kept on disk for the dev loop, so a restart of the simulator (and of
//! wrangler beside it) does not lose the conversations the edge already knows about.
//!
//! The file is JSON, rewritten whole: a temp file beside it is renamed over it, so a crash mid-write
//! leaves the previous version rather than half a file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::store::Store;

/// Bumped when the file's shape changes, so an old file is refused plainly instead of misread.
const FORMAT: u32 = 1;
/// How often the writer looks for changes.
pub const SAVE_EVERY: Duration = Duration::from_millis(500);

#[derive(Serialize)]
struct FileOut<'a> {
    format: u32,
    store: &'a Store,
}

#[derive(Deserialize)]
struct FileIn {
    format: u32,
    store: Store,
}

/// The file's bytes for this workspace.
pub fn encode(store: &Store) -> Vec<u8> {
    serde_json::to_vec_pretty(&FileOut { format: FORMAT, store }).expect("a store always serializes")
}

pub fn decode(bytes: &[u8]) -> Result<Store, String> {
    let file: FileIn = serde_json::from_slice(bytes).map_err(|e| format!("not a relasi-sim state file ({e})"))?;
    if file.format != FORMAT {
        return Err(format!("state format {} is not the supported {FORMAT}", file.format));
    }
    Ok(file.store)
}

/// The workspace in `path`, or `None` when there is no such file yet.
pub fn load(path: &Path) -> Result<Option<Store>, String> {
    match std::fs::read(path) {
        Ok(bytes) => decode(&bytes).map(Some).map_err(|e| format!("cannot load state {}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read state {}: {e}", path.display())),
    }
}

/// Replaces `path` with `bytes` atomically: write and sync `<path>.tmp`, then rename it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Keeps `path` in step with the store: writes when the serialized workspace differs from what was
/// written last.
pub struct Saver {
    store: Arc<Mutex<Store>>,
    path: PathBuf,
    last: Mutex<Vec<u8>>,
}

impl Saver {
    /// Writes the current workspace once (so an unwritable path fails at start, not later) and starts
    /// the background writer. Must be called inside a Tokio runtime.
    pub async fn start(store: Arc<Mutex<Store>>, path: PathBuf) -> Result<Arc<Self>, String> {
        let saver = Arc::new(Self { store, path, last: Mutex::default() });
        saver.save().await.map_err(|e| format!("cannot write state {}: {e}", saver.path.display()))?;
        let background = saver.clone();
        tokio::spawn(async move {
            let mut reported = None;
            loop {
                tokio::time::sleep(SAVE_EVERY).await;
                // Report a failing write once, not every half second.
                match background.save().await {
                    Ok(_) => reported = None,
                    Err(e) if reported.as_ref() != Some(&e.to_string()) => {
                        eprintln!("relasi-sim: cannot write state {}: {e}", background.path.display());
                        reported = Some(e.to_string());
                    }
                    Err(_) => {}
                }
            }
        });
        Ok(saver)
    }

    /// Writes the workspace if it changed since the last write; answers whether it wrote.
    pub async fn save(&self) -> std::io::Result<bool> {
        let mut last = self.last.lock().await;
        let bytes = encode(&*self.store.lock().await);
        if !last.is_empty() && *last == bytes {
            return Ok(false);
        }
        let path = self.path.clone();
        let to_write = bytes.clone();
        tokio::task::spawn_blocking(move || write_atomically(&path, &to_write))
            .await
            .map_err(std::io::Error::other)??;
        *last = bytes;
        Ok(true)
    }
}

/// Media files with their bytes as base64, so the state stays one JSON document.
pub mod media_files {
    use super::*;
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine;

    type Files = BTreeMap<String, (String, String, Vec<u8>)>;

    #[derive(Serialize)]
    struct Out<'a> {
        mime: &'a str,
        name: &'a str,
        base64: String,
    }

    #[derive(Deserialize)]
    struct In {
        mime: String,
        name: String,
        base64: String,
    }

    pub fn serialize<S: serde::Serializer>(files: &Files, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(files.iter().map(|(id, (mime, name, bytes))| (id, Out { mime, name, base64: B64.encode(bytes) })))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Files, D::Error> {
        BTreeMap::<String, In>::deserialize(d)?
            .into_iter()
            .map(|(id, f)| {
                let bytes = B64.decode(&f.base64).map_err(|e| serde::de::Error::custom(format!("media {id}: {e}")))?;
                Ok((id, (f.mime, f.name, bytes)))
            })
            .collect()
    }
}

/// Idempotency records as a list (JSON object keys cannot be pairs), with their RFC 3339 time.
pub mod idempotency_records {
    use super::*;
    use serde_json::Value;
    use time::OffsetDateTime;

    type Records = BTreeMap<(String, String), (OffsetDateTime, Value)>;

    #[derive(Serialize)]
    struct Out<'a> {
        route: &'a str,
        client_request_id: &'a str,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        answer: &'a Value,
    }

    #[derive(Deserialize)]
    struct In {
        route: String,
        client_request_id: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        answer: Value,
    }

    pub fn serialize<S: serde::Serializer>(records: &Records, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(records.iter().map(|((route, client_request_id), (at, answer))| Out {
            route,
            client_request_id,
            at: *at,
            answer,
        }))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Records, D::Error> {
        Ok(Vec::<In>::deserialize(d)?.into_iter().map(|r| ((r.route, r.client_request_id), (r.at, r.answer))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sender;
    use crate::store::LIVECHAT_CHANNEL_ID;

    #[test]
    fn round_trip_is_exact_and_stable() {
        let mut s = Store::new();
        let conv = s.open_livechat(LIVECHAT_CHANNEL_ID, "ct_1", Some("https://shop.test/".into()), None);
        let sender = Sender { kind: "customer".into(), id: None, name: Some("Ayu".into()), avatar_url: None };
        s.add_message(&conv.id, "in", "halo".into(), sender, Some("m1".into()));
        s.media.insert("med_9".into(), ("image/png".into(), "a.png".into(), vec![0, 159, 255, 10]));
        s.remember("livechat/messages", "m1", &serde_json::json!({"id": "msg_2"}));
        let bytes = encode(&s);
        let back = decode(&bytes).unwrap();
        assert_eq!(back, s);
        assert_eq!(encode(&back), bytes, "the same workspace gives the same bytes");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(decode(b"{not json").is_err());
        assert!(decode(br#"{"format": 1, "store": {}}"#).is_err());
        let other = String::from_utf8(encode(&Store::new())).unwrap().replacen("\"format\": 1", "\"format\": 99", 1);
        assert!(decode(other.as_bytes()).unwrap_err().contains("99"));
    }
}
