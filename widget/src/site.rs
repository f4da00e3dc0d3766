//! The site the widget is on: the owner's settings from the script tag, its public settings once fetched
//! from the edge (cached for the next page), the visitor's strings, and the client for the edge. Read by most
//! views; nothing here changes after the settings arrive.

use leptos::prelude::*;
use sapa_protocol::{Capabilities, SitePublic};

use crate::api::Api;
use crate::i18n::{self, Strings};
use crate::settings::Settings;

#[derive(Clone, Copy)]
pub struct Site {
    /// The visitor's strings, chosen once when the chat starts.
    strings: &'static Strings,
    settings: StoredValue<Settings>,
    api: StoredValue<Api>,
    /// The site's public settings: the last ones seen in this browser until the edge's arrive.
    pub public: RwSignal<Option<SitePublic>>,
}

impl Site {
    pub fn new(settings: Settings) -> Self {
        let browser = || web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        let strings = i18n::for_locale(&settings.locale.clone().unwrap_or_else(browser));
        Self {
            strings,
            public: RwSignal::new(crate::storage::load_site(&settings.site_id)),
            api: StoredValue::new(Api::new(&settings.api_base)),
            settings: StoredValue::new(settings),
        }
    }

    /// The visitor's strings: the site owner's `data-locale`, else the browser's language.
    pub fn t(&self) -> &'static Strings {
        self.strings
    }

    /// The site's name from its settings, else the script tag's `data-title`, else a generic title.
    pub fn title(&self) -> String {
        self.public
            .with(|s| s.as_ref().map(|s| s.name.clone()))
            .or_else(|| self.settings.with_value(|s| s.title.clone()))
            .unwrap_or_else(|| self.t().default_title.to_owned())
    }

    /// What the site's core can carry (everything until the settings say otherwise).
    pub fn can(&self) -> Capabilities {
        self.public.with(|s| s.as_ref().map(|s| s.capabilities).unwrap_or_default())
    }

    /// Whether the site asks for the visitor's details before the first message.
    pub fn asks_first(&self) -> bool {
        self.public.with(|s| s.as_ref().is_some_and(|s| !s.prechat.is_empty()))
    }

    /// The site's accent colour: its settings', else the script tag's `data-color` (so the first frame
    /// already has it), only if it is a plain `#rrggbb` (it goes into a CSS property).
    pub fn accent(&self) -> Option<String> {
        self.public
            .with(|s| s.as_ref().map(|s| s.color.clone()))
            .or_else(|| self.settings.with_value(|s| s.color.clone()))
            .filter(|c| crate::contrast::parse(c).is_some())
    }

    /// Text on the accent colour, at least 4.5:1 against it (`contrast.rs`).
    pub fn on_accent(&self) -> Option<&'static str> {
        crate::contrast::on_accent(&self.accent()?)
    }

    pub fn api(&self) -> Api {
        self.api.get_value()
    }

    pub fn id(&self) -> String {
        self.settings.with_value(|s| s.site_id.clone())
    }

    pub fn api_base(&self) -> String {
        self.settings.with_value(|s| s.api_base.clone())
    }

    /// Fetches the site's public settings and keeps them for the next page. Answers the failure, if any
    /// (without them the widget works with its defaults).
    pub async fn refresh(self) -> Result<(), crate::api::ApiFailure> {
        let site = self.api().site(&self.id()).await?;
        crate::storage::save_site(&self.id(), &site);
        self.public.set(Some(site));
        Ok(())
    }
}
