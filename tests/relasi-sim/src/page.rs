//! What the simulators' agent inboxes share: one HTML page around their header and body.

use maud::{html, Markup, PreEscaped, DOCTYPE};

/// A whole page titled "Agent inbox · `sim`", with its own stylesheet.
pub fn inbox(sim: &str, style: &str, header: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Agent inbox · " (sim) }
                style { (PreEscaped(style)) }
            }
            body {
                header { (header) }
                (body)
            }
        }
    }
}
