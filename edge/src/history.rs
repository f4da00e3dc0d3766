//! Cursor windows over a conversation's history: oldest first, newest last, each page ending in a cursor
//! that asks for exactly what came after it.

use sapa_protocol::{FieldError, Message, MessageList};

/// The sort key of a message, which is also its cursor: `<created_at ms>:<id>`.
pub fn cursor_of(m: &Message) -> String {
    format!("{}:{}", m.created_at, m.id)
}

/// Checks a cursor before anything is fetched.
pub fn parse_cursor(cursor: &str) -> Result<(i64, &str), FieldError> {
    cursor
        .split_once(':')
        .and_then(|(at, id)| Some((at.parse().ok()?, id)))
        .filter(|(_, id)| !id.is_empty())
        .ok_or_else(|| FieldError::new("after", "must be a cursor from an earlier answer"))
}

/// Without `after`: the newest `limit` messages. With it: the first `limit` messages after it, so that
/// following the cursor never skips one.
pub fn window(mut all: Vec<Message>, after: Option<&str>, limit: usize) -> Result<MessageList, FieldError> {
    all.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let after = after.map(parse_cursor).transpose()?;
    let messages: Vec<Message> = match after {
        Some(cursor) => all.into_iter().filter(|m| m.order_key() > cursor).take(limit).collect(),
        None => {
            let skip = all.len().saturating_sub(limit);
            all.into_iter().skip(skip).collect()
        }
    };
    let cursor = match messages.last() {
        Some(last) => Some(cursor_of(last)),
        None => after.map(|(at, id)| format!("{at}:{id}")),
    };
    Ok(MessageList { messages, cursor })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sapa_protocol::{Author, AuthorKind, MessageId, MessageStatus};

    fn msg(id: &str, at: i64) -> Message {
        Message {
            id: MessageId(id.into()),
            client_id: None,
            author: Author { kind: AuthorKind::Visitor, name: None, avatar_url: None },
            text: id.into(),
            created_at: at,
            status: MessageStatus::Sent,
            attachment: None,
        }
    }

    fn ids(list: &MessageList) -> Vec<&str> {
        list.messages.iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn newest_last_whatever_the_core_order() {
        let core_order = vec![msg("c", 30), msg("b", 20), msg("a", 10)];
        let page = window(core_order, None, 10).unwrap();
        assert_eq!(ids(&page), ["a", "b", "c"]);
        assert_eq!(page.cursor.as_deref(), Some("30:c"));
    }

    #[test]
    fn without_cursor_the_newest_limit() {
        let page = window(vec![msg("a", 1), msg("b", 2), msg("c", 3)], None, 2).unwrap();
        assert_eq!(ids(&page), ["b", "c"]);
    }

    #[test]
    fn after_cursor_returns_exactly_what_followed_in_order() {
        let all = vec![msg("a", 10), msg("b", 20), msg("c", 20), msg("d", 40)];
        let page = window(all.clone(), Some("20:b"), 10).unwrap();
        assert_eq!(ids(&page), ["c", "d"]);
        // Paging by cursor never skips: limit 1 walks one at a time.
        let first = window(all.clone(), Some("10:a"), 1).unwrap();
        assert_eq!(ids(&first), ["b"]);
        let second = window(all.clone(), first.cursor.as_deref(), 1).unwrap();
        assert_eq!(ids(&second), ["c"]);
        let nothing = window(all, Some("40:d"), 10).unwrap();
        assert!(nothing.messages.is_empty());
        assert_eq!(nothing.cursor.as_deref(), Some("40:d"));
    }

    #[test]
    fn malformed_cursor_is_a_field_error() {
        for bad in ["", "abc", "12", "x:y", "12:"] {
            assert_eq!(window(vec![], Some(bad), 5).unwrap_err().field, "after", "{bad}");
        }
    }
}
