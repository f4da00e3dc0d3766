//! `GET /me` (documented, no scope): what the edge's key may do, checked at first use.

use serde::{Deserialize, Serialize};

use crate::core::http::{CoreClient, CoreError, CoreRequest, Retry, Transport};

/// The scopes the edge's calls need.
pub const REQUIRED_SCOPES: [&str; 6] =
    ["customers:read", "customers:write", "conversations:write", "messages:read", "messages:write", "channels:read"];

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Me {
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl Me {
    /// Required scopes the key lacks.
    pub fn missing_scopes(&self) -> Vec<&'static str> {
        REQUIRED_SCOPES.iter().copied().filter(|s| !self.scopes.iter().any(|have| have == s)).collect()
    }
}

pub async fn get<T: Transport>(core: &CoreClient<T>) -> Result<Me, CoreError> {
    core.call(CoreRequest::get("/me".into()), Retry::Safe).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_scopes_are_named() {
        let me = Me { mode: "test".into(), scopes: vec!["messages:read".into(), "messages:write".into()] };
        assert_eq!(me.missing_scopes(), ["customers:read", "customers:write", "conversations:write", "channels:read"]);
    }
}
