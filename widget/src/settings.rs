//! What the loader hands over: from the script tag's `data-*` attributes and `window.SapaSettings`.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Settings {
    /// The site id from `data-site`.
    pub site_id: String,
    /// The edge's origin, e.g. `https://chat.example.com`; the widget calls `<api_base>/v1/...`.
    pub api_base: String,
    /// Open the panel at once (the visitor clicked the launcher before the app loaded).
    #[serde(default)]
    pub open: bool,
    /// The site's name for the header, until the site's public settings are fetched.
    #[serde(default)]
    pub title: Option<String>,
    /// The widget's language (`data-locale`, e.g. `id`, `ar`); the browser's when absent.
    #[serde(default)]
    pub locale: Option<String>,
}
