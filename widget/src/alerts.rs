//! New-message alerts for a visitor who is not looking at the chat: a count in the page title and a short
//! tone (unless the visitor turned it off), only in a tab that is visible (every tab hears each message;
//! hidden ones stay quiet). The title is restored when the chat is opened or the window gets focus back.

use leptos::prelude::*;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

#[derive(Clone, Copy)]
pub struct Alerts {
    /// Whether a new reply plays a tone: the visitor's choice, remembered for the site.
    pub sound: RwSignal<bool>,
    /// The page's own title and the count shown in front of it while replies wait unseen.
    title: StoredValue<Option<(String, u32)>>,
    /// Whether the visitor has the panel open.
    open: RwSignal<bool>,
}

impl Alerts {
    /// Alerts for the site `site_id`, quiet while `open` (the title is put back when the panel opens or the
    /// window gets focus back with the panel open).
    pub fn new(site_id: &str, open: RwSignal<bool>) -> Self {
        let this =
            Self { sound: RwSignal::new(crate::storage::sound_on(site_id)), title: StoredValue::new(None), open };
        let _ = window_event_listener(leptos::ev::focus, move |_| {
            if open.get_untracked() {
                this.clear();
            }
        });
        Effect::new(move |_| {
            if open.get() {
                this.clear();
            }
        });
        this
    }

    /// An agent's message arrived.
    pub fn alert(self) {
        let Some(doc) = document() else { return };
        if doc.hidden() || (self.open.get_untracked() && doc.has_focus().unwrap_or(true)) {
            return;
        }
        let (title, count) = self.title.get_value().unwrap_or_else(|| (doc.title(), 0));
        doc.set_title(&format!("({}) {}", count + 1, title));
        self.title.set_value(Some((title, count + 1)));
        if self.sound.get_untracked() {
            tone();
        }
    }

    /// The visitor turned the sound on or off: remembered for the site.
    pub fn set_sound(self, site_id: &str, on: bool) {
        self.sound.set(on);
        crate::storage::save_sound(site_id, on);
    }

    /// Puts the page's own title back.
    fn clear(self) {
        if let (Some(doc), Some((title, _))) = (document(), self.title.get_value()) {
            doc.set_title(&title);
            self.title.set_value(None);
        }
    }
}

/// A soft two-step chime from an oscillator (no audio file to download). Browsers may refuse to play before
/// the visitor has interacted with the page; then it is simply silent.
fn tone() {
    let Ok(ctx) = web_sys::AudioContext::new() else { return };
    let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
    let now = ctx.current_time();
    let _ = osc.frequency().set_value_at_time(880.0, now);
    let _ = osc.frequency().set_value_at_time(1320.0, now + 0.09);
    let _ = gain.gain().set_value_at_time(0.05, now);
    let _ = gain.gain().exponential_ramp_to_value_at_time(0.0001, now + 0.3);
    let _ = osc.connect_with_audio_node(&gain).and_then(|_| gain.connect_with_audio_node(&ctx.destination()));
    let _ = osc.start();
    let _ = osc.stop_with_when(now + 0.3);
}
