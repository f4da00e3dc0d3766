use leptos::prelude::*;
use sapa_protocol::validate;

use super::when::when;
use crate::chat::Chat;
use crate::state::part;
use crate::storage::Profile;

/// The site's pre-chat form (name and/or email, each required or optional), checked with the same rules
/// as the edge, shown before the first message.
#[component]
pub fn Prechat() -> impl IntoView {
    let _ = crate::styles::adopt(crate::styles::PRECHAT);
    let Chat { site, saved, .. } = expect_context::<Chat>();
    let t = site.t();
    let fields = site.public.with_untracked(|s| s.as_ref().map(|s| s.prechat.clone()).unwrap_or_default());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let invalid = RwSignal::new(Vec::<String>::new());
    let required = |field: &str| fields.iter().any(|f| f.field == field && f.required);
    let (name_required, email_required) = (required("name"), required("email"));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, e) = (name.get_untracked().trim().to_owned(), email.get_untracked().trim().to_owned());
        let mut bad = Vec::new();
        if (n.is_empty() && name_required) || (!n.is_empty() && validate::name("name", &n).is_err()) {
            bad.push("name".to_owned());
        }
        if (e.is_empty() && email_required) || (!e.is_empty() && validate::email("email", &e).is_err()) {
            bad.push("email".to_owned());
        }
        if bad.is_empty() {
            let keep = |v: String| (!v.is_empty()).then_some(v);
            saved.set(part::PROFILE, Some(Profile { name: keep(n), email: keep(e) }));
        }
        invalid.set(bad);
    };

    let input = move |field: &'static str, label: &'static str, value: RwSignal<String>, required: bool| {
        let kind = if field == "email" { "email" } else { "text" };
        let is_invalid = move || invalid.with(|f| f.iter().any(|x| x == field));
        view! {
            <label class="sapa-field">
                <span>{label} {(!required).then(|| format!(" ({})", t.optional))}</span>
                <input
                    type=kind
                    name=field
                    autocomplete=field
                    data-testid=format!("prechat-{field}")
                    required=required
                    aria-invalid=move || is_invalid().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {when(is_invalid, move || view! { <span class="sapa-field-error" role="alert">{t.check_field}</span> })}
            </label>
        }
    };

    view! {
        <form class="sapa-prechat" data-testid="prechat" on:submit=submit novalidate>
            <p>{t.prechat_intro}</p>
            {fields.iter().any(|f| f.field == "name").then(|| input("name", t.your_name, name, name_required))}
            {fields.iter().any(|f| f.field == "email").then(|| input("email", t.your_email, email, email_required))}
            <button type="submit" class="sapa-start" data-testid="prechat-start">{t.start_chat}</button>
        </form>
    }
}
