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
    P: Fn() -> PF + Copy + Send + Sync + 'static,
    PF: Future<Output = Result<(), LoadError>> + 'static,
    R: Fn() -> RF + Send + Sync + 'static,
    RF: Future<Output = Result<leptos::prelude::AnyView, LoadError>>,
{
    let chat = expect_context::<Chat>();
    let code = RwSignal::new(Code::Loading);
    let fetch = move || {
        code.set(Code::Loading);
        spawn_local(async move {
            code.set(if load().await.is_ok() { Code::Here } else { Code::Failed });
        });
    };
    fetch();
    move || {
        match code.get() {
        Code::Here => untrack(|| now(render()).and_then(Result::ok)).into_any(),
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
    }
    }
}
