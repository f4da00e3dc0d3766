//! The hub's state in Durable Object SQLite. Calls are synchronous, so a decision in `realtime::hub` never
//! interleaves with another event. A failed statement is logged and read as "nothing there".

use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{console_error, SqlStorage, SqlStorageValue};

use crate::realtime::hub::{HubMeta, HubStore};
use sapa_protocol::StreamEvent;

/// Webhook ids are remembered this long (the core retries for far less).
const DELIVERY_MEMORY_MS: i64 = 48 * 60 * 60 * 1000;
/// Known messages kept for matching duplicates and statuses.
const MESSAGES_KEEP: i64 = 5_000;

const SCHEMA: [&str; 6] = [
    "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, event TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS messages (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, client_id TEXT, rank INTEGER NOT NULL, seq INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS messages_client ON messages (client_id)",
    "CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS deliveries_at ON deliveries (at)",
];

pub struct SqlHubStore(pub SqlStorage);

#[derive(Deserialize)]
struct Text {
    v: String,
}

#[derive(Deserialize)]
struct Number {
    v: i64,
}

#[derive(Deserialize)]
struct Known {
    rank: i64,
    seq: i64,
}

impl SqlHubStore {
    pub fn open(sql: SqlStorage) -> Self {
        let store = Self(sql);
        for statement in SCHEMA {
            store.run(statement, vec![]);
        }
        store
    }

    fn rows<T: DeserializeOwned>(&self, query: &str, args: Vec<SqlStorageValue>) -> Vec<T> {
        match self.0.exec(query, args).and_then(|c| c.to_array::<T>()) {
            Ok(rows) => rows,
            Err(e) => {
                console_error!("hub sql failed: {e}");
                Vec::new()
            }
        }
    }

    fn run(&self, query: &str, args: Vec<SqlStorageValue>) {
        if let Err(e) = self.0.exec(query, args) {
            console_error!("hub sql failed: {e}");
        }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.rows::<Text>("SELECT v FROM meta WHERE k = ?", vec![key.into()]).pop().map(|r| r.v)
    }

    pub fn set(&self, key: &str, value: &str) {
        self.run("INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)", vec![key.into(), value.into()]);
    }
}

impl HubStore for SqlHubStore {
    fn meta(&self) -> HubMeta {
        self.get("hub").and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default()
    }

    fn set_meta(&mut self, meta: &HubMeta) {
        self.set("hub", &serde_json::to_string(meta).expect("meta serializes"));
    }

    fn append(&mut self, seq: u64, event: &StreamEvent) {
        let json = serde_json::to_string(event).expect("events serialize");
        self.run("INSERT OR REPLACE INTO log (seq, event) VALUES (?, ?)", vec![(seq as i64).into(), json.into()]);
    }

    fn events_after(&self, after: u64) -> Vec<StreamEvent> {
        self.rows::<Text>("SELECT event AS v FROM log WHERE seq > ? ORDER BY seq", vec![(after as i64).into()])
            .into_iter()
            .filter_map(|r| serde_json::from_str(&r.v).ok())
            .collect()
    }

    fn first_seq(&self) -> Option<u64> {
        self.rows::<Number>("SELECT seq AS v FROM log ORDER BY seq LIMIT 1", vec![]).pop().map(|r| r.v as u64)
    }

    fn trim_before(&mut self, seq: u64) {
        self.run("DELETE FROM log WHERE seq < ?", vec![(seq as i64).into()]);
        self.run("DELETE FROM messages WHERE n <= (SELECT MAX(n) FROM messages) - ?", vec![MESSAGES_KEEP.into()]);
    }

    fn message(&self, id: &str, client_id: Option<&str>) -> Option<(u8, u64)> {
        self.rows::<Known>(
            "SELECT rank, seq FROM messages WHERE id = ? OR (client_id IS NOT NULL AND client_id = ?) LIMIT 1",
            vec![id.into(), client_id.into()],
        )
        .pop()
        .map(|r| (r.rank as u8, r.seq as u64))
    }

    fn set_message(&mut self, id: &str, client_id: Option<&str>, rank: u8, seq: u64) {
        // A message first known by its client id (the echo) keeps one row when the core's copy arrives.
        if let Some(client_id) = client_id {
            self.run(
                "UPDATE messages SET id = ?, rank = ? WHERE client_id = ?",
                vec![id.into(), (rank as i64).into(), client_id.into()],
            );
        }
        self.run(
            "INSERT INTO messages (id, client_id, rank, seq) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET rank = excluded.rank",
            vec![id.into(), client_id.into(), (rank as i64).into(), (seq as i64).into()],
        );
    }

    fn clear(&mut self) {
        self.run("DELETE FROM log", vec![]);
        self.run("DELETE FROM messages", vec![]);
    }

    fn first_delivery(&mut self, id: &str, now_ms: i64) -> bool {
        self.run("DELETE FROM deliveries WHERE at < ?", vec![(now_ms - DELIVERY_MEMORY_MS).into()]);
        let known = !self.rows::<Text>("SELECT id AS v FROM deliveries WHERE id = ?", vec![id.into()]).is_empty();
        if !known {
            self.run("INSERT INTO deliveries (id, at) VALUES (?, ?)", vec![id.into(), now_ms.into()]);
        }
        !known
    }
}
