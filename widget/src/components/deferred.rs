use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chat::Chat;
use crate::parts::{now, LoadError};

/// Where a part's code is: still coming, failed to come, or here.
#[derive(Clone, Copy, PartialEq)]
enum Code {
    Loading,
    Failed,
    Here,
}

/// The code of a part: fetched by `load`, drawn by `render` once here (both boxed, so the view below is built
/// once for every part rather than once per part).
type Load = std::rc::Rc<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = Result<(), LoadError>>>>>;
type Render = Box<dyn Fn() -> Option<AnyView> + Send>;

/// A part of the widget whose code may load on first use (`parts.rs`). While the code comes it shows a
/// quiet busy placeholder (none at all if `quiet`); if the network failed it says so and offers to try again.
#[component]
pub fn Deferred<P, PF, R, RF>(
    /// Fetches the part's code (done at once where the part is not split).
    load: P,
    /// Draws the part once its code is here.
    render: R,
    /// A part that is a courtesy (the reply card, an image preview): nothing shows while it loads or if it
    /// fails, and it is fetched again the next time it is shown.
    #[prop(optional)]
    quiet: bool,
) -> impl IntoView
where
    P: Fn() -> PF + 'static,
    PF: Future<Output = Result<(), LoadError>> + 'static,
    R: Fn() -> RF + Send + 'static,
    RF: Future<Output = Result<AnyView, LoadError>>,
{
    let load: Load = std::rc::Rc::new(move || Box::pin(load()));
    let render: Render = Box::new(move || now(render()).and_then(Result::ok));
    deferred(load, render, quiet)
}

fn deferred(load: Load, render: Render, quiet: bool) -> AnyView {
    let chat = expect_context::<Chat>();
    let code = RwSignal::new(Code::Loading);
    let load = StoredValue::new_local(load);
    let fetch = move || {
        code.set(Code::Loading);
        let future = load.with_value(|load| load());
        spawn_local(async move {
            code.set(if future.await.is_ok() { Code::Here } else { Code::Failed });
        });
    };
    fetch();
    (move || match code.get() {
        Code::Here => untrack(&render).into_any(),
        _ if quiet => ().into_any(),
        Code::Loading => view! {
            <div class="sapa-busy" role="status" aria-busy="true" aria-label=chat.t().loading data-testid="part-loading">
                <span class="sapa-spinner" aria-hidden="true"></span>
            </div>
        }
        .into_any(),
        Code::Failed => view! {
            <div class="sapa-busy" role="alert" data-testid="part-failed">
                <p>{chat.t().part_failed}</p>
                <button type="button" class="sapa-link" on:click=move |_| fetch()>{chat.t().retry}</button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}
