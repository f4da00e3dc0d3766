use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The largest preview, in CSS pixels.
const MAX_WIDTH: f64 = 220.0;
const MAX_HEIGHT: f64 = 160.0;

/// A picked or pasted image, drawn from the file itself onto a canvas. Decoding a `File` with
/// `createImageBitmap` fetches nothing, so no `img-src` is needed in the host page's CSP (an `<img>` of a
/// `blob:` URL would need one).
#[component]
pub fn Preview(
    /// The image the visitor sent.
    file: web_sys::File,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let label = file.name();
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let file = file.clone();
        leptos::task::spawn_local(async move {
            let _ = draw(&canvas, &file).await;
        });
    });
    // Hidden until drawn: a file the browser cannot decode shows no empty frame.
    view! { <canvas class="sapa-preview" hidden node_ref=canvas role="img" aria-label=label data-testid="preview"></canvas> }
}

async fn draw(canvas: &web_sys::HtmlCanvasElement, file: &web_sys::File) -> Result<(), wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or(wasm_bindgen::JsValue::NULL)?;
    let bitmap: web_sys::ImageBitmap =
        wasm_bindgen_futures::JsFuture::from(window.create_image_bitmap_with_blob(file)?).await?.dyn_into()?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (MAX_WIDTH / w).min(MAX_HEIGHT / h).min(1.0);
    let (dw, dh) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    canvas.set_width(dw as u32);
    canvas.set_height(dh as u32);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(wasm_bindgen::JsValue::NULL)?.dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, dw, dh)?;
    bitmap.close();
    canvas.set_hidden(false);
    Ok(())
}
