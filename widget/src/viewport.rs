//! Phones: the open panel fills the *visual* viewport, the part of the page the visitor can see. When the
//! on-screen keyboard opens, browsers shrink or shift that part without resizing the layout, so a panel sized
//! to the window would put the composer behind the keyboard. The panel's CSS reads these two properties.

use wasm_bindgen::prelude::*;

/// Keeps `--sapa-vv-top` and `--sapa-vv-height` on `root` in step with the visual viewport.
pub fn follow(root: web_sys::HtmlElement) {
    let Some(viewport) = web_sys::window().and_then(|w| w.visual_viewport()) else {
        return; // an old browser: the CSS falls back to the whole window
    };
    let update = {
        let viewport = viewport.clone();
        move || {
            let style = root.style();
            // Whole pixels as integers: formatting floats would add the float printer to the wasm.
            let _ = style.set_property("--sapa-vv-top", &format!("{}px", viewport.offset_top().round() as i32));
            let _ = style.set_property("--sapa-vv-height", &format!("{}px", viewport.height().round() as i32));
        }
    };
    update();
    let listener = Closure::<dyn Fn()>::new(update);
    for event in ["resize", "scroll"] {
        let _ = viewport.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    // One listener for the page's lifetime, like the app itself.
    listener.forget();
}
