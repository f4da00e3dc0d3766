//! The chat's state and actions: the outbox and the session (the live connection is in `live.rs`).
//! Components read the signals and call the actions; nothing here touches the DOM.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::{ClientId, CreateSession, ErrorCode, SendMessage, SessionToken, SiteId, SitePublic};

use crate::api::{Api, ApiFailure};
use crate::host_api::Identity;
use crate::i18n::{self, Strings};
use crate::ids::new_client_id;
use crate::live::{Connection, Link};
use crate::settings::Settings;
use crate::storage::{self, Saved};
use crate::thread::State;

/// How soon a message that could not be sent (offline, edge or core unavailable) is tried again.
const RESEND_AFTER: Duration = Duration::from_secs(3);

#[derive(Clone, Copy)]
pub struct Chat {
    /// The visitor's strings, chosen once when the chat starts.
    strings: &'static Strings,
    settings: StoredValue<Settings>,
    api: StoredValue<Api>,
    /// Everything that survives a reload.
    pub saved: RwSignal<Saved>,
    pub open: RwSignal<bool>,
    /// Replies that arrived while the panel was closed.
    pub unread: RwSignal<usize>,
    /// The last failure worth telling the visitor about (cleared by the next success).
    pub notice: RwSignal<Option<String>>,
    /// The site's public settings, once fetched.
    pub site: RwSignal<Option<SitePublic>>,
    /// The stream's state, for the header's status line.
    pub connection: RwSignal<Connection>,
    /// Files on their way, by client id, with the percentage sent so far.
    pub uploads: RwSignal<Vec<(String, u8)>>,
    /// Images the visitor sent from this page, by client id, for their previews (a reload forgets them).
    pub(crate) images: StoredValue<Vec<(String, web_sys::File)>, LocalStorage>,
    /// The stream socket and its reconnection state.
    pub(crate) link: StoredValue<Link, LocalStorage>,
    /// Which tab holds the stream, and the channel to the others (`tabs.rs`).
    pub(crate) tabs: StoredValue<crate::tabs::Tabs, LocalStorage>,
    /// `Sapa('hideLauncher')`: the site opens the chat from its own button.
    pub launcher_hidden: RwSignal<bool>,
    /// `Sapa('identify', …)`: used when the next session is opened.
    identity: StoredValue<Identity>,
    /// The page's own title and the count shown in front of it while replies wait unseen.
    pub(crate) title_alert: StoredValue<Option<(String, u32)>>,
    /// The loader's `emit(event, detail)`, which calls the page's `Sapa('on', …)` listeners.
    pub(crate) emitter: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// True while the outbox is being sent, so two sends never race to create two sessions.
    flushing: StoredValue<bool>,
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The page the visitor is on (a single-page site changes it through the History API without a reload).
fn current_page() -> Option<String> {
    web_sys::window().and_then(|w| w.location().href().ok()).filter(|u| u.starts_with("http"))
}

impl Chat {
    pub fn new(settings: Settings, emitter: Option<js_sys::Function>) -> Self {
        let mut saved = storage::load(&settings.site_id);
        // Files that were on their way when the page went away cannot be sent again from here.
        saved.thread.messages.retain(|m| m.state != State::Uploading);
        let browser = || web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        let strings = i18n::for_locale(&settings.locale.clone().unwrap_or_else(browser));
        let chat = Self {
            strings,
            api: StoredValue::new(Api::new(&settings.api_base)),
            open: RwSignal::new(settings.open),
            settings: StoredValue::new(settings),
            saved: RwSignal::new(saved),
            unread: RwSignal::new(0),
            notice: RwSignal::new(None),
            site: RwSignal::new(None),
            connection: RwSignal::new(Connection::Idle),
            uploads: RwSignal::new(Vec::new()),
            images: StoredValue::new_local(Vec::new()),
            link: StoredValue::new_local(Link::default()),
            tabs: StoredValue::new_local(Default::default()),
            launcher_hidden: RwSignal::new(false),
            identity: StoredValue::new(Identity::default()),
            emitter: StoredValue::new_local(emitter),
            title_alert: StoredValue::new(None),
            flushing: StoredValue::new(false),
        };
        let site = chat.site_id();
        Effect::new(move |_| chat.saved.with(|s| storage::save(&site, s)));
        Effect::new(move |_| {
            if chat.open.get() {
                chat.unread.set(0);
            }
        });
        chat
    }

    /// The site's name from its settings, else the script tag's `data-title`, else a generic title.
    pub fn title(&self) -> String {
        self.site
            .with(|s| s.as_ref().map(|s| s.name.clone()))
            .or_else(|| self.settings.with_value(|s| s.title.clone()))
            .unwrap_or_else(|| self.t().default_title.to_owned())
    }

    /// The site's accent colour, only if it is a plain `#rrggbb` (it goes into a CSS property).
    pub fn accent(&self) -> Option<String> {
        self.site.with(|s| {
            s.as_ref().map(|s| s.color.clone()).filter(|c| {
                c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
            })
        })
    }

    /// The visitor's strings: the site owner's `data-locale`, else the browser's language.
    pub fn t(&self) -> &'static Strings {
        self.strings
    }

    pub(crate) fn api(&self) -> Api {
        self.api.get_value()
    }

    pub(crate) fn site_id(&self) -> String {
        self.settings.with_value(|s| s.site_id.clone())
    }

    pub(crate) fn api_base(&self) -> String {
        self.settings.with_value(|s| s.api_base.clone())
    }

    /// Text on the accent colour: dark on light accents, white on dark ones. Relative luminance as WCAG
    /// defines it, with the sRGB curve taken as a square (close enough to choose, and no `pow` to ship);
    /// above about 0.18 white text falls below 4.5:1.
    pub fn on_accent(&self) -> Option<&'static str> {
        let accent = self.accent()?;
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&accent[i..i + 2], 16).ok()?) / 255.0;
            Some(c * c)
        };
        let luminance = 0.2126 * channel(1)? + 0.7152 * channel(3)? + 0.0722 * channel(5)?;
        Some(if luminance > 0.18 { "#1d2330" } else { "#fff" })
    }

    /// Starts the background work: messages left unsent by an earlier page go out, the stream opens.
    pub fn start(self) {
        let site_id = self.site_id();
        spawn_local(async move {
            // Without settings the widget still works, with its defaults.
            if let Ok(site) = self.api().site(&site_id).await {
                self.site.set(Some(site));
            }
        });
        self.flush();
        self.send_extras();
        self.listen();
        self.watch_attention();
    }

    /// Whether the site's pre-chat form comes before the conversation: the site asks for details, the
    /// visitor has not given them, no conversation has started and the site did not identify the visitor.
    pub fn needs_prechat(&self) -> bool {
        self.site.with(|s| s.as_ref().is_some_and(|s| !s.prechat.is_empty()))
            && self.saved.with(|s| s.profile.is_none() && s.session.is_none() && s.thread.messages.is_empty())
            && self.identity.with_value(|i| i.user_id.is_none())
    }

    /// A signed-in user of the site. A session opened for someone else (or for nobody) ends, so one
    /// user's conversation is never shown to the next person on a shared computer.
    pub fn identify(self, identity: Identity) {
        let other = self.saved.with_untracked(|s| s.session.is_some() && s.session_user != identity.user_id);
        self.identity.set_value(identity);
        if other {
            self.reset();
        }
    }

    /// `Sapa('reset')` (for example at logout): forgets the session, the conversation and the outbox.
    pub fn reset(self) {
        self.drop_socket(Connection::Idle);
        self.saved.set(Saved::default());
        self.unread.set(0);
        self.notice.set(None);
    }

    /// The visitor pressed Enter: the message gets its idempotency id now and is kept until confirmed.
    pub fn send(self, text: String) {
        let client_id = ClientId(new_client_id());
        self.saved.update(|s| {
            // Read now, not when sent: the site may have moved on by then.
            s.thread.push_pending(client_id, text, now_ms(), current_page());
            // Writing again after the end of a chat carries the conversation on; its next end asks again.
            s.status = None;
            if s.rating.as_ref().is_some_and(|(_, sent)| *sent) {
                s.rating = None;
            }
        });
        self.flush();
    }

    /// Files the visitor picked, pasted or dropped, each sent as below.
    pub fn send_files(self, files: &web_sys::FileList) {
        for i in 0..files.length() {
            if let Some(file) = files.get(i) {
                self.send_file(file);
            }
        }
    }

    /// The visitor picked or pasted a file: it goes out at once (files are not queued across reloads). A
    /// refused file is taken out of the conversation with a notice saying why.
    pub fn send_file(self, file: web_sys::File) {
        let client_id = ClientId(new_client_id());
        self.saved.update(|s| s.thread.push_upload(client_id.clone(), &file.name(), now_ms()));
        let key = client_id.as_str().to_owned();
        if file.type_().starts_with("image/") {
            self.images.update_value(|i| i.push((key.clone(), file.clone())));
        }
        self.uploads.update(|u| u.push((key.clone(), 0)));
        let progress = {
            let key = key.clone();
            move |percent| self.uploads.update(|u| u.iter_mut().filter(|(k, _)| *k == key).for_each(|(_, p)| *p = percent))
        };
        spawn_local(async move {
            let sent = match self.session().await {
                Ok(token) => self.api().send_file(&token, client_id.as_str(), &file, progress).await,
                Err(f) => Err(f),
            };
            self.uploads.update(|u| u.retain(|(k, _)| *k != key));
            match sent {
                Ok(sent) => self.saved.update(|s| {
                    s.thread.merge(vec![sent.message]);
                }),
                Err(failure) => {
                    let t = self.t();
                    let why = match &failure {
                        ApiFailure::Edge { code: ErrorCode::UnsupportedMedia, .. } => t.file_type,
                        ApiFailure::Edge { code: ErrorCode::PayloadTooLarge, .. } => t.file_too_big,
                        _ => t.file_failed,
                    };
                    self.notice.set(Some(why.into()));
                    self.images.update_value(|i| i.retain(|(k, _)| *k != key));
                    self.saved.update(|s| s.thread.remove(&client_id));
                }
            }
        });
    }

    /// Puts a failed message back in the outbox.
    pub fn retry(self, client_id: ClientId) {
        self.saved.update(|s| s.thread.set_state(&client_id, State::Sending));
        self.flush();
    }

    /// Sends the outbox in order, one message at a time. Stops at the first failure that may pass and
    /// tries again shortly, with the same ids.
    pub(crate) fn flush(self) {
        if self.flushing.get_value() {
            return;
        }
        self.flushing.set_value(true);
        spawn_local(async move {
            loop {
                let next = self.saved.with_untracked(|s| {
                    s.thread.outbox().next().and_then(|m| {
                        Some(SendMessage { client_id: m.client_id.clone()?, text: m.text.clone(), page_url: m.page_url.clone() })
                    })
                });
                let Some(request) = next else {
                    break;
                };
                let client_id = request.client_id.clone();
                match self.deliver(request).await {
                    Ok(()) => self.notice.set(None),
                    Err(f) if f.is_retryable() => {
                        self.notice.set(Some(self.t().not_connected.into()));
                        set_timeout(move || self.flush(), RESEND_AFTER);
                        break;
                    }
                    Err(_) => self.saved.update(|s| s.thread.set_state(&client_id, State::Failed)),
                }
            }
            self.flushing.set_value(false);
        });
    }

    async fn deliver(self, request: SendMessage) -> Result<(), ApiFailure> {
        let token = self.session().await?;
        let sent = match self.api().send_message(&token, &request).await {
            Err(f) if f.needs_new_session() => {
                self.saved.update(|s| s.session = None);
                let token = self.session().await?;
                self.api().send_message(&token, &request).await?
            }
            other => other?,
        };
        self.saved.update(|s| {
            s.thread.merge(vec![sent.message]);
        });
        Ok(())
    }

    /// The current session's token, creating the session first if there is none.
    async fn session(self) -> Result<SessionToken, ApiFailure> {
        if let Some(session) = self.saved.with_untracked(|s| s.session.clone()) {
            return Ok(session.token);
        }
        // The id is stored before the request so a retry after a lost answer opens the same conversation.
        let client_id = match self.saved.with_untracked(|s| s.session_client_id.clone()) {
            Some(id) => id,
            None => {
                let id = new_client_id();
                self.saved.update(|s| s.session_client_id = Some(id.clone()));
                id
            }
        };
        let identity = self.identity.get_value();
        let profile = self.saved.with_untracked(|s| s.profile.clone()).unwrap_or_default();
        let request = CreateSession {
            site_id: SiteId(self.site_id()),
            client_id: ClientId(client_id),
            // The site's word (identify) comes before the visitor's (the pre-chat form).
            name: identity.name.or(profile.name),
            email: identity.email.or(profile.email),
            page_url: current_page(),
            locale: web_sys::window().and_then(|w| w.navigator().language()),
            referrer: web_sys::window()
                .and_then(|w| w.document())
                .map(|d| d.referrer())
                .filter(|r| r.starts_with("http")),
            user_id: identity.user_id.clone(),
            user_hash: identity.user_hash,
        };
        let created = self.api().create_session(&request).await?;
        let token = created.token.clone();
        self.saved.update(|s| {
            s.session = Some(created);
            s.session_user = identity.user_id;
            s.session_client_id = None;
            // A cursor belongs to a conversation; the new one starts from its beginning.
            s.thread.cursor = None;
            s.status = None;
        });
        self.go_live();
        self.send_extras();
        Ok(token)
    }
}
