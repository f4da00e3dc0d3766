//! Drawing a view only while a condition holds: what Leptos's `<Show>` does, with less code per use (no
//! boxed children, no type-erased fallback), which the first open pays for at every use.

use leptos::either::Either;
use leptos::prelude::*;

/// Draws `view()` while `cond()` is true. The condition is memoised, so the view is built again only when it
/// turns true, not each time something the condition reads changes. As with `<Show>`, `view()` runs inside
/// the tracked closure: a view reads its signals in its own closures (a component's body runs untracked).
pub fn when<V: IntoView + 'static>(
    cond: impl Fn() -> bool + Send + Sync + 'static,
    view: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let shown = Memo::new(move |_| cond());
    move || shown.get().then(&view)
}

/// Draws `view()` while `cond()` is true and `otherwise()` while it is not, each built again only when the
/// memoised condition turns.
pub fn when_else<V: IntoView + 'static, W: IntoView + 'static>(
    cond: impl Fn() -> bool + Send + Sync + 'static,
    view: impl Fn() -> V + Send + Sync + 'static,
    otherwise: impl Fn() -> W + Send + Sync + 'static,
) -> impl IntoView {
    let shown = Memo::new(move |_| cond());
    move || if shown.get() { Either::Left(view()) } else { Either::Right(otherwise()) }
}
