//! `docs/theme-reference.md`, written from the page models: what each template receives,
//! with the types and doc comments of the structs that make it. A test holds the file to
//! the models; `UPDATE_THEME_REFERENCE=1 cargo test theme_reference` writes it anew.

use super::docs::{GuideIndexPage, GuidePage, NotFoundPage, NoticePage};
use super::embed::EmbedPage;
use super::front::FrontPage;
use super::incident::{ArchivePage, IncidentPage};
use super::layout::{PageValue, SiteValue};
use super::print::PrintPage;
use super::service::{ServicePage, ServiceYearPage};
use super::status_text::StatusTextPage;
use schemars::{Schema, SchemaGenerator};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Each template and the type of its `data`.
fn templates(g: &mut SchemaGenerator) -> Vec<(&'static str, Schema)> {
    vec![
        ("index.html", g.subschema_for::<FrontPage>()),
        ("service.html", g.subschema_for::<ServicePage>()),
        ("service_year.html", g.subschema_for::<ServiceYearPage>()),
        ("incident.html", g.subschema_for::<IncidentPage>()),
        ("archive.html", g.subschema_for::<ArchivePage>()),
        ("guides.html", g.subschema_for::<GuideIndexPage>()),
        ("guide.html", g.subschema_for::<GuidePage>()),
        ("notice.html", g.subschema_for::<NoticePage>()),
        ("print.html", g.subschema_for::<PrintPage>()),
        ("404.html", g.subschema_for::<NotFoundPage>()),
        ("status.txt", g.subschema_for::<StatusTextPage>()),
        ("embed.html", g.subschema_for::<EmbedPage>()),
    ]
}

/// The reference as Markdown.
pub fn markdown() -> String {
    let mut g = SchemaGenerator::default();
    let site = g.subschema_for::<SiteValue>();
    let page = g.subschema_for::<PageValue>();
    let templates = templates(&mut g);
    let defs: BTreeMap<String, Value> = g.take_definitions(true).into_iter().collect();

    let mut out = String::from(
        "# Theme reference\n\n\
         <!-- Written from the page models in src/output/pages/ by `UPDATE_THEME_REFERENCE=1 cargo test\n\
         theme_reference`; the test fails while this file and the models differ. -->\n\n\
         What every template of a theme receives. How to override templates, components and\n\
         strings is in [themes.md](themes.md).\n\n\
         ## Every template\n\n\
         | name | type | what it is |\n|---|---|---|\n",
    );
    let _ = writeln!(out, "| `t` | map of text | The theme's UI strings (`i18n.yaml`) in the page's language; the month names are a list. |");
    let _ =
        writeln!(out, "| `site` | {} | {} |", type_of(site.as_value()), description(&defs, site.as_value()));
    let _ = writeln!(
        out,
        "| `shared` | map of HTML | Each template of `templates/shared/` rendered with `t` and `site`, by file name without `.html`: `shared.footer`. Print with `\\| safe`. |"
    );
    let _ =
        writeln!(out, "| `page` | {} | {} |", type_of(page.as_value()), description(&defs, page.as_value()));
    let _ = writeln!(out, "| `data` | see below | What the page shows: one type per template. |");
    out.push_str("\n## `data` of each template\n\n| template | `data` |\n|---|---|\n");
    for (template, schema) in &templates {
        let _ = writeln!(out, "| `{template}` | {} |", type_of(schema.as_value()));
    }
    out.push_str(
        "\n## Types\n\n\
         Fields are listed by name. \"or none\" marks a value that may be missing: test it with\n\
         `{% if x %}` before use. Texts marked HTML are printed with `| safe`; everything else is\n\
         escaped by Tera.\n",
    );
    for (name, schema) in &defs {
        let _ = write!(out, "\n### {name}\n\n");
        let what = schema.get("description").and_then(Value::as_str).unwrap_or("");
        if !what.is_empty() {
            let _ = write!(out, "{}\n\n", one_line(what));
        }
        match schema.get("properties").and_then(Value::as_object) {
            Some(props) => {
                out.push_str("| field | type | what it is |\n|---|---|---|\n");
                for (field, s) in props {
                    let desc = s.get("description").and_then(Value::as_str).unwrap_or("");
                    let _ = writeln!(out, "| `{field}` | {} | {} |", type_of(s), one_line(desc));
                }
            }
            None => {
                let _ = writeln!(out, "One of: {}.", enum_values(schema).join(", "));
            }
        }
    }
    out
}

/// The description of a schema, or of the type it refers to.
fn description(defs: &BTreeMap<String, Value>, schema: &Value) -> String {
    let own = schema.get("description").and_then(Value::as_str);
    let referred = reference(schema)
        .and_then(|r| defs.get(r))
        .and_then(|d| d.get("description"))
        .and_then(Value::as_str);
    one_line(own.or(referred).unwrap_or(""))
}

fn reference(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next())
}

/// A field's type in words: `text`, `number`, `yes/no`, `list of X`, `X or none`, a link
/// to a type of this reference.
fn type_of(schema: &Value) -> String {
    if let Some(r) = reference(schema) {
        return format!("[{r}](#{})", r.to_lowercase());
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let parts: Vec<String> =
            any.iter().filter(|s| s.get("type") != Some(&Value::from("null"))).map(type_of).collect();
        let nullable = any.len() > parts.len();
        return format!("{}{}", parts.join(" or "), if nullable { " or none" } else { "" });
    }
    if schema.get("enum").is_some() || schema.get("oneOf").is_some() {
        return format!("one of {}", enum_values(schema).join(", "));
    }
    let (kind, nullable) = match schema.get("type") {
        Some(Value::String(t)) => (t.as_str(), false),
        Some(Value::Array(ts)) => {
            (ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null"), ts.len() > 1)
        }
        _ => ("any", false),
    };
    let named = match kind {
        "string" => "text".to_string(),
        "integer" | "number" => "number".to_string(),
        "boolean" => "yes/no".to_string(),
        "array" => format!("list of {}", schema.get("items").map(type_of).unwrap_or_else(|| "any".into())),
        "object" => "map".to_string(),
        other => other.to_string(),
    };
    format!("{named}{}", if nullable { " or none" } else { "" })
}

/// The values of an enum schema, each in backticks.
fn enum_values(schema: &Value) -> Vec<String> {
    let plain =
        schema.get("enum").and_then(Value::as_array).map(|v| v.iter().filter_map(Value::as_str).collect());
    let described = || -> Vec<&str> {
        schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(|s| s.get("const").and_then(Value::as_str)).collect())
            .unwrap_or_default()
    };
    plain.unwrap_or_else(described).into_iter().map(|v| format!("`{v}`")).collect()
}

/// Doc comments wrap; a table cell does not.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_reference_matches_the_page_models() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/theme-reference.md");
        let written = markdown();
        if std::env::var_os("UPDATE_THEME_REFERENCE").is_some() {
            std::fs::write(&path, &written).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == written,
            "docs/theme-reference.md differs from the page models; run \
             UPDATE_THEME_REFERENCE=1 cargo test theme_reference and review the change"
        );
    }

    /// Every field a page model has is in the reference, with its type and what it is.
    #[test]
    fn the_reference_names_every_field() {
        let text = markdown();
        let undescribed: Vec<&str> =
            text.lines().filter(|l| l.starts_with("| `") && l.ends_with("|  |")).collect();
        assert!(undescribed.is_empty(), "fields without a doc comment: {undescribed:#?}");
        for needle in [
            "| `overall` | [StateValue](#statevalue) |",
            "| `latest` | [UpdateValue](#updatevalue) or none |",
            "| `timeline` | list of [TimelineEntryValue](#timelineentryvalue) |",
            "| `band` | [Band](#band) |",
            "One of: `operational`, `maintenance`, `degraded`, `partial`, `major`.",
            "| `index.html` | [FrontPage](#frontpage) |",
        ] {
            assert!(text.contains(needle), "no {needle:?} in\n{text}");
        }
    }
}
