//! The outbox: what the visitor writes and sends, each with its idempotency id from the moment it is made,
//! kept until the edge confirms it and sent again (same ids) after a failure that may pass.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::{ClientId, ErrorCode, SendMessage};

use crate::api::ApiFailure;
use crate::chat::{current_page, now_ms, Chat};
use crate::ids::new_client_id;
use crate::notice::Cause;
use crate::state::part;
use crate::thread::State;
use crate::uploads::Upload;

/// How soon a message that could not be sent (offline, edge or core unavailable) is tried again.
const RESEND_AFTER: Duration = Duration::from_secs(3);

impl Chat {
    /// The visitor pressed Enter: the message gets its idempotency id now and is kept until confirmed.
    pub fn send(self, text: String) {
        self.notices.resolved(Cause::File);
        let client_id = ClientId(new_client_id());
        // Read now, not when sent: the site may have moved on by then.
        self.saved.update(part::THREAD, |t| t.push_pending(client_id, text, now_ms(), current_page()));
        // Writing again after the end of a chat carries the conversation on; its next end asks again.
        if self.saved.with_untracked(part::STATUS, Option::is_some) {
            self.saved.set(part::STATUS, None);
        }
        if self.saved.with_untracked(part::RATING, |r| r.as_ref().is_some_and(|(_, sent)| *sent)) {
            self.saved.set(part::RATING, None);
        }
        self.flush();
    }

    /// Files the visitor picked, pasted or dropped, each sent as below once the upload code is here
    /// (`parts::upload`); if it cannot be fetched the visitor is told the files did not go.
    pub fn send_files(self, files: &web_sys::FileList) {
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        spawn_local(async move {
            if crate::parts::upload(self, files).await.is_err() {
                self.notices.tell(Cause::File, self.site.t().file_failed);
            }
        });
    }

    /// The visitor picked or pasted a file: it goes out at once (files are not queued across reloads). A
    /// refused file is taken out of the conversation with a notice saying why.
    pub fn send_file(self, file: web_sys::File) {
        self.notices.resolved(Cause::File);
        // Refused before a byte goes out: an 11 MB file need not upload in full to be told it is too big.
        if let Some(why) = crate::attachments::refusal(&file, self.site.t()) {
            return self.notices.tell(Cause::File, why);
        }
        let client_id = ClientId(new_client_id());
        self.saved.update(part::THREAD, |t| t.push_upload(client_id.clone(), &file.name(), now_ms()));
        let key = client_id.as_str().to_owned();
        let image = file.type_().starts_with("image/").then(|| file.clone());
        self.uploads.0.update(|u| u.push(Upload { key: key.clone(), percent: Some(0), image }));
        let progress = {
            let key = key.clone();
            move |percent| {
                self.uploads.0.update(|u| u.iter_mut().filter(|u| u.key == key).for_each(|u| u.percent = Some(percent)))
            }
        };
        spawn_local(async move {
            let sent = match self.session().await {
                Ok(token) => {
                    self.site.api().send_file(&token, client_id.as_str(), &file, progress).await.map(|s| (s, token))
                }
                Err(f) => Err(f),
            };
            // Done: an image stays for its preview, anything else goes.
            self.uploads.0.update(|u| {
                u.iter_mut().filter(|u| u.key == key).for_each(|u| u.percent = None);
                u.retain(|u| u.key != key || (sent.is_ok() && u.image.is_some()));
            });
            match sent {
                Ok((sent, token)) => self.merge_answer(&token, sent.message),
                Err(failure) => {
                    self.refused(&failure);
                    let t = self.site.t();
                    let why = match &failure {
                        ApiFailure::Edge { code: ErrorCode::UnsupportedMedia, .. } => t.file_type,
                        ApiFailure::Edge { code: ErrorCode::PayloadTooLarge, .. } => t.file_too_big,
                        _ => t.file_failed,
                    };
                    self.notices.tell(Cause::File, why);
                    self.saved.update(part::THREAD, |t| t.remove(&client_id));
                }
            }
        });
    }

    /// Puts a failed message back in the outbox.
    pub fn retry(self, client_id: ClientId) {
        self.saved.update(part::THREAD, |t| t.set_state(&client_id, State::Sending));
        self.flush();
    }

    /// Sends the outbox, if anything waits, once the sending code is here (`parts::Conversation`: fetched when
    /// the composer is first focused, so usually before the first Enter). Code that cannot be fetched is a
    /// failure that may pass: the messages wait and it is tried again shortly.
    pub(crate) fn flush(self) {
        let waits = self.saved.with_untracked(part::THREAD, |t| t.outbox().next().is_some());
        if !waits || self.flushing.get_value() || self.notices.refused_for_good() {
            return;
        }
        self.flushing.set_value(true);
        spawn_local(async move {
            if crate::parts::send(self).await.is_err() {
                self.flushing.set_value(false);
                self.notices.tell(Cause::Offline, self.site.t().not_connected);
                set_timeout(move || self.flush(), RESEND_AFTER);
            }
        });
    }

    /// Sends the outbox in order, one message at a time. Stops at the first failure that may pass and
    /// tries again shortly, with the same ids.
    pub(crate) fn send_outbox(self) {
        spawn_local(async move {
            loop {
                let next = self.saved.with_untracked(part::THREAD, |t| {
                    t.outbox().next().and_then(|m| {
                        Some(SendMessage {
                            client_id: m.client_id.clone()?,
                            text: m.text.clone(),
                            page_url: m.page_url.clone(),
                        })
                    })
                });
                let Some(request) = next else {
                    break;
                };
                let client_id = request.client_id.clone();
                match self.deliver(request).await {
                    Ok(()) => self.notices.resolved(Cause::Offline),
                    // Kept in the outbox: a fix (such as identify) sends it.
                    Err(f) if self.refused(&f) => break,
                    Err(f) if f.is_retryable() => {
                        // A message another tab is sending stays "sending", with no notice, until that lands.
                        if !f.is_busy() {
                            self.notices.tell(Cause::Offline, self.site.t().not_connected);
                        }
                        set_timeout(move || self.flush(), RESEND_AFTER);
                        break;
                    }
                    Err(_) => self.saved.update(part::THREAD, |t| t.set_state(&client_id, State::Failed)),
                }
            }
            self.flushing.set_value(false);
        });
    }

    async fn deliver(self, request: SendMessage) -> Result<(), ApiFailure> {
        let mut token = self.session().await?;
        let sent = match self.site.api().send_message(&token, &request).await {
            Err(f) if f.needs_new_session() => {
                self.saved.set(part::SESSION, None);
                token = self.session().await?;
                self.site.api().send_message(&token, &request).await?
            }
            other => other?,
        };
        self.merge_answer(&token, sent.message);
        Ok(())
    }

    /// Merges the edge's answer to a write made with `token`, unless a reset or a new chat happened while it
    /// was on its way (it is then the old conversation's).
    pub(crate) fn merge_answer(self, token: &sapa_protocol::SessionToken, message: sapa_protocol::Message) {
        if self.saved.answers_to(token) {
            self.saved.update(part::THREAD, |t| {
                t.merge(vec![message]);
            });
        }
    }
}
