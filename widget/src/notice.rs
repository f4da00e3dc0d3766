//! A notice above the composer: what went wrong, kept until its cause goes (or the visitor dismisses it).

/// What a notice is about, so the event that resolves it can take it away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Messages wait for the connection: gone once one is sent or the stream is live again.
    Offline,
    /// A file was refused: gone at the visitor's next message or file.
    File,
    /// The rating could not be sent: gone when a rating is sent.
    Rating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notice {
    pub cause: Cause,
    pub text: &'static str,
}
