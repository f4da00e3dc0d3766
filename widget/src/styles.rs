//! The widget's stylesheets, minified at build time (`build.rs`) and adopted into the loader's shadow root
//! (adopted sheets are not blocked by a strict `style-src`). What a first open draws comes with the app; a
//! part's own sheet comes with the part and is adopted when the part first runs, before it draws.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot};

/// A stylesheet from `src/components`, as `build.rs` minified it.
macro_rules! sheet {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name))
    };
}

/// What a first open draws: the launcher, the panel, the list, the composer and a part's placeholder.
pub const FIRST_OPEN: &str = concat!(
    sheet!("app.css"),
    sheet!("launcher.css"),
    sheet!("panel.css"),
    sheet!("message_list.css"),
    sheet!("composer.css"),
    sheet!("deferred.css"),
);
/// The emoji grid's (the `emoji` part).
pub const EMOJI_PICKER: &str = sheet!("emoji_picker.css");
/// The earlier conversations' (the `earlier` part).
pub const PAST_CONVERSATIONS: &str = sheet!("past_conversations.css");
/// The pre-chat form's (the `prechat` part).
pub const PRECHAT: &str = sheet!("prechat.css");
/// The rating's (the `ended` part).
pub const RATING: &str = sheet!("rating.css");
/// The reply card's (the `reply_card` part).
pub const REPLY_CARD: &str = sheet!("reply_preview.css");

thread_local! {
    /// The shadow root the app is mounted in, and the sheets already adopted into it.
    static ROOT: RefCell<Option<(ShadowRoot, Vec<&'static str>)>> = const { RefCell::new(None) };
}

/// Adopts the first open's sheets into the shadow root around `container`, and keeps the root for the parts'
/// sheets. Mounted outside a shadow root (the browser tests), there is nothing to adopt into.
pub fn mount(container: &HtmlElement) -> Result<(), JsValue> {
    let Ok(root) = container.get_root_node().dyn_into::<ShadowRoot>() else { return Ok(()) };
    ROOT.with(|r| *r.borrow_mut() = Some((root, Vec::new())));
    adopt(FIRST_OPEN)
}

/// Appends `css` to the shadow root's adopted sheets (after the loader's and those adopted before), once. A
/// part's component calls it before it draws; should it fail there, the part still works, unstyled.
pub fn adopt(css: &'static str) -> Result<(), JsValue> {
    ROOT.with(|r| {
        let mut r = r.borrow_mut();
        let Some((root, adopted)) = r.as_mut() else { return Ok(()) };
        if adopted.contains(&css) {
            return Ok(());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(css)?;
        let name = JsValue::from_str("adoptedStyleSheets");
        let sheets: js_sys::Array = js_sys::Reflect::get(root, &name)?.dyn_into()?;
        js_sys::Reflect::set(root, &name, &sheets.concat(&js_sys::Array::of1(&sheet)))?;
        adopted.push(css);
        Ok(())
    })
}
