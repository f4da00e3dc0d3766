//! Rate limits with the Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml).

use worker::{console_warn, Env};

use crate::error::ApiError;

#[derive(Clone, Copy, Debug)]
pub enum Limit {
    /// Opening sessions, per client IP.
    SessionsPerIp,
    /// Opening sessions (and so creating contacts), per site.
    SessionsPerSite,
    /// Visitor messages, per conversation (that is, per session token).
    MessagesPerConversation,
    /// Stream upgrades, per conversation: each may cost the hub a read from the core.
    StreamsPerConversation,
    /// Stream upgrades, per client IP (many visitors may share one).
    StreamsPerIp,
}

impl Limit {
    fn binding(self) -> &'static str {
        match self {
            Self::SessionsPerIp => "SESSIONS_PER_IP",
            Self::SessionsPerSite => "SESSIONS_PER_SITE",
            Self::MessagesPerConversation => "MESSAGES_PER_CONVERSATION",
            Self::StreamsPerConversation => "STREAMS_PER_CONVERSATION",
            Self::StreamsPerIp => "STREAMS_PER_IP",
        }
    }

    /// The binding's period (wrangler.toml), which is the longest a caller may have to wait.
    fn period_s(self) -> u64 {
        match self {
            Self::SessionsPerIp | Self::SessionsPerSite | Self::StreamsPerConversation | Self::StreamsPerIp => 60,
            Self::MessagesPerConversation => 10,
        }
    }
}

pub async fn check(env: &Env, limit: Limit, key: &str) -> Result<(), ApiError> {
    let Ok(limiter) = env.rate_limiter(limit.binding()) else {
        console_warn!("no {} rate limit binding: not limited", limit.binding());
        return Ok(());
    };
    match limiter.limit(format!("{}:{key}", limit.binding())).await {
        Ok(outcome) if !outcome.success => Err(ApiError::RateLimited { retry_after_s: limit.period_s() }),
        // A failing limiter must not take the chat down with it.
        _ => Ok(()),
    }
}
