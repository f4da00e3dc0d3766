//! The wire between the Sapa widget and the Sapa edge.
//!
//! Every request, response and error shape that crosses the visitor's network lives here, once.
//! The crate is pure data and validation: no I/O, so it compiles for the host and for wasm alike.

pub mod backoff;
pub mod error;
pub mod feedback;
pub mod ids;
pub mod limits;
pub mod message;
pub mod session;
pub mod site;
pub mod stream;
pub mod validate;

pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use feedback::{ContactAttributes, RateConversation, Rating};
pub use ids::{ClientId, ConversationId, MessageId, SessionToken, SiteId};
pub use message::{Attachment, Author, AuthorKind, Message, MessageList, MessageStatus, SendMessage, SentMessage};
pub use session::{CreateSession, SessionCreated};
pub use site::{BusinessHours, Capabilities, PrechatField, ReplyTime, SitePublic};
pub use stream::{ConversationStatus, StreamEvent};
pub use validate::{FieldError, Validate};
