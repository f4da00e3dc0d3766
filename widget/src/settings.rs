//! What the loader hands over: from the script tag's `data-*` attributes and `window.SapaSettings`.

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The site id from `data-site`.
    pub site_id: String,
    /// The edge's origin, e.g. `https://chat.example.com`; the widget calls `<api_base>/v1/...`.
    pub api_base: String,
    /// Open the panel at once (the visitor clicked the launcher before the app loaded).
    pub open: bool,
    /// The site's name for the header, until the site's public settings are fetched.
    pub title: Option<String>,
    /// The widget's language (`data-locale`, e.g. `id`, `ar`); the browser's when absent.
    pub locale: Option<String>,
    /// The accent colour (`data-color`, `#rrggbb`) until the site's own settings arrive, so the first frame
    /// is already in the site's colour.
    pub color: Option<String>,
    /// `light`, `dark` or `auto` (the visitor's system setting, the default).
    pub theme: Option<String>,
    /// `left` or `right` (the default): which bottom corner.
    pub position: Option<String>,
    /// Distance from the side and from the bottom, in CSS pixels (0 to 400; default 20).
    pub offset_x: Option<f64>,
    pub offset_y: Option<f64>,
    /// The stacking order, for pages whose own overlays must stay above or below the chat.
    pub z_index: Option<f64>,
}

impl Settings {
    pub fn theme(&self) -> &'static str {
        match self.theme.as_deref() {
            Some("light") => "light",
            Some("dark") => "dark",
            _ => "auto",
        }
    }

    pub fn on_left(&self) -> bool {
        self.position.as_deref() == Some("left")
    }

    /// A pixel offset within 0..=400, or the default.
    fn px(value: Option<f64>) -> String {
        // Whole pixels through an integer: formatting an f64 would pull the float printer into the wasm.
        let px = value.filter(|v| v.is_finite()).map_or(20, |v| v.clamp(0.0, 400.0).round() as u16);
        format!("{px}px")
    }

    pub fn offset_x(&self) -> String {
        Self::px(self.offset_x)
    }

    pub fn offset_y(&self) -> String {
        Self::px(self.offset_y)
    }

    pub fn z_index(&self) -> Option<String> {
        self.z_index.filter(|z| z.is_finite()).map(|z| (z.clamp(-2_147_483_648.0, 2_147_483_647.0) as i32).to_string())
    }
}
