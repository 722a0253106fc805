//! A reference document of `docs/` shown as a page: the small Markdown subset those files use
//! (headings, paragraphs, bullet and numbered lists, tables, code spans, fenced blocks), rendered
//! on the server as plain HTML elements. Text goes through the view's escaping; nothing in a
//! document becomes markup unless this reader made it so.

use leptos::prelude::*;

/// Inline text: `code` spans become <code>, `**bold**` markers are dropped (kept as text).
fn inline(text: &str) -> impl IntoView + use<> {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.replace("**", "");
            if i % 2 == 1 { view! { <code>{part}</code> }.into_any() } else { view! { <span>{part}</span> }.into_any() }
        })
        .collect_view()
}

fn cells(line: &str) -> Vec<String> {
    line.trim().trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect()
}

/// The document as HTML.
#[component]
pub fn Markdown(source: &'static str) -> impl IntoView {
    let mut blocks: Vec<AnyView> = Vec::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            continue;
        }
        if let Some(h) = trimmed.strip_prefix("### ") {
            blocks.push(view! { <h4>{inline(h)}</h4> }.into_any());
        } else if let Some(h) = trimmed.strip_prefix("## ") {
            blocks.push(view! { <h3>{inline(h)}</h3> }.into_any());
        } else if let Some(h) = trimmed.strip_prefix("# ") {
            blocks.push(view! { <h2>{inline(h)}</h2> }.into_any());
        } else if trimmed.starts_with("```") {
            let mut code = String::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push_str(l);
                code.push('\n');
            }
            blocks.push(view! { <pre class="source">{code}</pre> }.into_any());
        } else if trimmed.starts_with('|') {
            let head = cells(trimmed);
            let mut rows = Vec::new();
            while let Some(next) = lines.peek() {
                if !next.trim_start().starts_with('|') {
                    break;
                }
                let row = cells(lines.next().unwrap_or_default());
                if !row.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) {
                    rows.push(row);
                }
            }
            let head = head.into_iter().map(|c| view! { <th scope="col">{inline(&c)}</th> }).collect_view();
            let rows = rows
                .into_iter()
                .map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{inline(&c)}</td> }).collect_view()}</tr> })
                .collect_view();
            blocks.push(
                view! { <div class="table-scroll"><table class="table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div> }
                    .into_any(),
            );
        } else if trimmed.trim_start().starts_with("- ") || numbered(trimmed).is_some() {
            let ordered = numbered(trimmed).is_some();
            let mut items = vec![item_text(trimmed)];
            while let Some(next) = lines.peek() {
                let n = next.trim_end();
                if n.trim().is_empty() {
                    break;
                }
                if n.trim_start().starts_with("- ") || numbered(n).is_some() {
                    items.push(item_text(n));
                } else if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(n.trim());
                }
                lines.next();
            }
            let items = items.into_iter().map(|i| view! { <li>{inline(&i)}</li> }).collect_view();
            blocks.push(if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            });
        } else {
            let mut text = trimmed.trim().to_owned();
            while let Some(next) = lines.peek() {
                let n = next.trim();
                if n.is_empty()
                    || n.starts_with('#')
                    || n.starts_with('|')
                    || n.starts_with("- ")
                    || n.starts_with("```")
                {
                    break;
                }
                text.push(' ');
                text.push_str(n);
                lines.next();
            }
            blocks.push(view! { <p>{inline(&text)}</p> }.into_any());
        }
    }
    view! { <div class="doc">{blocks}</div> }
}

/// "12. text" → Some("text").
fn numbered(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (digits > 0).then(|| t[digits..].strip_prefix(". ")).flatten()
}

fn item_text(line: &str) -> String {
    let t = line.trim_start();
    numbered(t).unwrap_or_else(|| t.strip_prefix("- ").unwrap_or(t)).trim().to_owned()
}
