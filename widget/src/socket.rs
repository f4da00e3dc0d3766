//! One WebSocket to the edge's stream and its handlers. Dropping it detaches the handlers and closes it,
//! so a replaced socket can never report into the chat again.

use sapa_protocol::stream::SUBPROTOCOL;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

pub struct Socket {
    ws: WebSocket,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens `url`, offering the token as a subprotocol (never in the URL, which servers log).
    pub fn open(
        url: &str,
        token: &str,
        mut on_text: impl FnMut(String) + 'static,
        mut on_close: impl FnMut(u16) + 'static,
    ) -> Result<Self, JsValue> {
        let protocols = js_sys::Array::of2(&JsValue::from_str(SUBPROTOCOL), &JsValue::from_str(token));
        let ws = WebSocket::new_with_str_sequence(url, &protocols)?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(text) = e.data().as_string() {
                on_text(text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| on_close(e.code()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Self { ws, _on_message: on_message, _on_close: on_close })
    }

    pub fn send(&self, text: &str) {
        // Sending on a socket that is still connecting or already closing throws; the heartbeat copes.
        let _ = self.ws.send_with_str(text);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(1000);
    }
}
