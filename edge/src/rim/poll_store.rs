//! The poller's [`PollStore`] in its Durable Object's SQLite: the watched conversations and the watermark.

use serde::Deserialize;
use worker::{console_error, SqlStorage, SqlStorageValue};

use crate::core::PollStore;

pub struct SqlPollStore(SqlStorage);

#[derive(Deserialize)]
struct Watched {
    conversation: String,
    seen: Option<String>,
}

#[derive(Deserialize)]
struct Text {
    v: String,
}

impl SqlPollStore {
    pub fn open(sql: SqlStorage) -> Self {
        for statement in [
            "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS watched (conversation TEXT PRIMARY KEY, seen TEXT)",
        ] {
            let _ = sql.exec(statement, None);
        }
        Self(sql)
    }

    fn exec(&self, query: &str, args: Vec<SqlStorageValue>) {
        if let Err(e) = self.0.exec(query, args) {
            console_error!("poller sql failed: {e}");
        }
    }
}

impl PollStore for SqlPollStore {
    fn watched(&self) -> Vec<(String, Option<String>)> {
        let rows = self.0.exec("SELECT conversation, seen FROM watched", None).and_then(|c| c.to_array::<Watched>());
        rows.map(|rows| rows.into_iter().map(|r| (r.conversation, r.seen)).collect()).unwrap_or_default()
    }

    fn watermark(&self) -> Option<i64> {
        let rows = self.0.exec("SELECT v FROM meta WHERE k = 'watermark'", None).and_then(|c| c.to_array::<Text>());
        rows.ok()?.pop()?.v.parse().ok()
    }

    fn set_watermark(&mut self, watermark_s: Option<i64>) {
        match watermark_s {
            Some(w) => {
                self.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('watermark', ?)", vec![w.to_string().into()])
            }
            None => self.exec("DELETE FROM meta WHERE k = 'watermark'", vec![]),
        }
    }

    fn set_watched(&mut self, conversation: &str, on: bool) {
        let query = if on {
            "INSERT OR IGNORE INTO watched (conversation) VALUES (?)"
        } else {
            "DELETE FROM watched WHERE conversation = ?"
        };
        self.exec(query, vec![conversation.into()]);
    }

    fn set_seen(&mut self, conversation: &str, updated_at: Option<&str>) {
        self.exec("UPDATE watched SET seen = ? WHERE conversation = ?", vec![updated_at.into(), conversation.into()]);
    }
}
