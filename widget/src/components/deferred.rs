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

/// How a part's code is fetched (`loads(parts::preload_…)`), type-erased so that one view serves every part.
pub type Load = std::rc::Rc<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = Result<(), LoadError>>>>>;
/// How a part is drawn once its code is here (`draws(move || parts::…(…))`).
pub type Render = Box<dyn Fn() -> Option<AnyView> + Send>;

/// A part's fetch, for [`Deferred`].
pub fn loads<F: Future<Output = Result<(), LoadError>> + 'static>(preload: fn() -> F) -> Load {
    std::rc::Rc::new(move || Box::pin(preload()))
}

/// A part's drawing, for [`Deferred`]: the part's async function, called once its code is here.
pub fn draws<R, F>(render: R) -> Render
where
    R: Fn() -> F + Send + 'static,
    F: Future<Output = Result<AnyView, LoadError>>,
{
    Box::new(move || now(render()).and_then(Result::ok))
}

/// A part of the widget whose code may load on first use (`parts.rs`). While the code comes it shows a
/// quiet busy placeholder (none at all if `quiet`); if the network failed it says so and offers to try again.
#[component]
pub fn Deferred(
    /// Fetches the part's code (done at once where the part is not split).
    load: Load,
    /// Draws the part once its code is here.
    render: Render,
    /// A part that is a courtesy (the reply card, an image preview): nothing shows while it loads or if it
    /// fails, and it is fetched again the next time it is shown.
    #[prop(optional)]
    quiet: bool,
    /// Drawn inside a list (the messages): the placeholder is a list item, so the list stays a list.
    #[prop(optional)]
    row: bool,
) -> impl IntoView {
    deferred(load, render, quiet, row)
}

fn deferred(load: Load, render: Render, quiet: bool, row: bool) -> AnyView {
    let t = expect_context::<Chat>().site.t();
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
    // The placeholder while the code comes, or if it could not come.
    let waiting = move |code: Code| match code {
        Code::Loading => view! {
            <div class="sapa-busy" role="status" aria-busy="true" aria-label=t.loading data-testid="part-loading">
                <span class="sapa-spinner" aria-hidden="true"></span>
            </div>
        }
        .into_any(),
        Code::Failed | Code::Here => view! {
            <div class="sapa-busy" role="alert" data-testid="part-failed">
                <p>{t.part_failed}</p>
                <button type="button" class="sapa-link" on:click=move |_| fetch()>{t.retry}</button>
            </div>
        }
        .into_any(),
    };
    (move || match code.get() {
        Code::Here => untrack(&render).into_any(),
        _ if quiet => ().into_any(),
        // Inside a list the placeholder is a list item, so the list stays a list.
        code if row => view! { <li class="sapa-part-row">{waiting(code)}</li> }.into_any(),
        code => waiting(code),
    })
    .into_any()
}
