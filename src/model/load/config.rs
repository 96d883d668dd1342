//! `content/site.yaml`: the site's title, URL, languages, timezone, theme, groups,
//! states and which of them count as available, checked into a [`SiteConfig`] and the
//! [`StateRegistry`].

use super::fields::FileCtx;
use super::files::{id_problem, is_valid_id, read_text};
use crate::diagnostics::{suggestion, Diagnostics};
use crate::model::derive::availability::AvailableStates;
use crate::model::locate::Seg;
use crate::model::raw::RawSite;
use crate::model::state::{StateDef, StateId, StateRegistry};
use crate::model::text::RawText;
use crate::model::{Group, SiteConfig};
use std::path::Path;

pub(super) fn load_config(
    path: &Path,
    rel: &Path,
    diags: &mut Diagnostics,
) -> Option<(SiteConfig, StateRegistry)> {
    if !path.is_file() {
        diags.error(rel, 0, 0, "missing; expected the site configuration `content/site.yaml`");
        return None;
    }
    let src = read_text(path, rel, diags)?;
    config_from_text(rel, &src, diags)
}

/// `site.yaml` from its text; `rel` names it in messages.
pub(super) fn config_from_text(
    rel: &Path,
    src: &str,
    diags: &mut Diagnostics,
) -> Option<(SiteConfig, StateRegistry)> {
    let mut f = FileCtx::new(rel.to_path_buf(), src, 0);
    let Some(raw) = f.parse(RawSite::read) else {
        diags.extend(f.diags);
        return None;
    };
    let k = |s: &str| vec![Seg::Key(s.to_string())];

    let mut languages: Vec<String> = Vec::new();
    for (i, l) in raw.languages.iter().flatten().enumerate() {
        let Some(l) = l else { continue };
        let p = vec![Seg::Key("languages".into()), Seg::Index(i)];
        let ok = (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            f.error(&p, format!("`{l}` is not a language code; expected two or three lowercase letters such as `de` or `en`"));
        } else if languages.contains(l) {
            f.error(&p, format!("`{l}` is listed twice"));
        } else {
            languages.push(l.clone());
        }
    }
    if raw.languages.as_ref().is_some_and(Vec::is_empty) {
        f.error(&k("languages"), "no languages; expected a list such as [de, en], default language first");
    }
    if languages.is_empty() {
        f.check_languages = false;
        languages.push("en".into());
    }

    let timezone = match raw.timezone.as_deref().map(|t| (t, t.parse::<chrono_tz::Tz>())) {
        None => chrono_tz::UTC,
        Some((_, Ok(tz))) => tz,
        Some((name, Err(_))) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
            f.error(
                &k("timezone"),
                format!(
                    "`{name}` is not an IANA timezone; expected a name such as `Europe/Berlin`{}",
                    suggestion(name, names)
                ),
            );
            chrono_tz::UTC
        }
    };

    // A missing base_url is already reported; an empty one keeps the other checks going.
    let mut base_url = raw.base_url.as_deref().unwrap_or_default().trim().to_string();
    let scheme_ok = base_url.starts_with("https://") || base_url.starts_with("http://");
    let host_ok = base_url.split("://").nth(1).is_some_and(|h| !h.is_empty() && !h.starts_with('/'));
    let bad = !scheme_ok
        || !host_ok
        || base_url.contains(char::is_whitespace)
        || base_url.contains(['<', '>', '"', '\'']);
    if bad && raw.base_url.is_some() {
        f.error(
            &k("base_url"),
            format!("`{base_url}` is not an absolute URL; expected e.g. `https://status.example.org/`"),
        );
    }
    if !base_url.ends_with('/') {
        base_url.push('/');
    }

    let theme = raw.theme.clone().unwrap_or_else(|| "default".into());
    if !is_valid_id(&theme) {
        f.error(&k("theme"), id_problem(&theme));
    }

    let title = f.name(raw.title.as_ref().unwrap_or(&RawText::Plain(String::new())), k("title"), &languages);
    let contact = raw.contact.as_ref().map(|c| f.text(c, k("contact"), &languages));
    let mut groups: Vec<Group> = Vec::new();
    for (i, g) in raw.groups.iter().enumerate() {
        let Some(g) = g else { continue };
        let p = vec![Seg::Key("groups".into()), Seg::Index(i)];
        let mut pid = p.clone();
        pid.push(Seg::Key("id".into()));
        if !is_valid_id(&g.id) {
            f.error(&pid, id_problem(&g.id));
        } else if groups.iter().any(|x| x.id == g.id) {
            f.error(&pid, format!("group `{}` is defined twice", g.id));
        }
        let mut pn = p.clone();
        pn.push(Seg::Key("name".into()));
        let name = f.name(&g.name, pn, &languages);
        groups.push(Group { id: g.id.clone(), name });
    }

    let mut states = StateRegistry::builtin();
    for (i, s) in raw.states.iter().enumerate() {
        let Some(s) = s else { continue };
        let p = vec![Seg::Key("states".into()), Seg::Index(i)];
        let sub = |name: &str| {
            let mut q = p.clone();
            q.push(Seg::Key(name.into()));
            q
        };
        let id_ok = !s.id.is_empty()
            && s.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_ok {
            f.error(
                &sub("id"),
                format!("`{}` is not a valid state id; expected lowercase letters, digits and `_`", s.id),
            );
            continue;
        }
        let severity = match s.severity {
            Some(v) if (0..=100).contains(&v) => Some(v as u8),
            Some(v) => {
                f.error(&sub("severity"), format!("{v} is out of range; expected a number from 0 to 100"));
                continue;
            }
            None => None,
        };
        if let Some(c) = &s.color {
            let hex = c.len() > 1
                && c.starts_with('#')
                && c[1..].chars().all(|h| h.is_ascii_hexdigit())
                && matches!(c.len(), 4 | 7);
            let named = !c.is_empty() && c.chars().all(|h| h.is_ascii_alphabetic());
            if !hex && !named {
                f.error(
                    &sub("color"),
                    format!("`{c}` is not a colour; expected `#rrggbb`, `#rgb` or a CSS colour name"),
                );
            }
        }
        let label = s.label.as_ref().map(|l| f.name(l, sub("label"), &languages));
        if let Some(existing) = states.states.iter_mut().find(|x| x.id.as_str() == s.id) {
            if let Some(l) = label {
                existing.label = Some(l);
            }
            if let Some(v) = severity {
                existing.severity = v;
            }
            if let Some(c) = &s.color {
                existing.color = c.clone();
            }
        } else {
            let Some(severity) = severity else {
                f.error(&p, format!("new state `{}` needs a `severity` from 0 to 100", s.id));
                continue;
            };
            let Some(label) = label else {
                f.error(&p, format!("new state `{}` needs a `label`", s.id));
                continue;
            };
            states.states.push(StateDef {
                id: StateId::new(&s.id),
                severity,
                label: Some(label),
                color: s.color.clone().unwrap_or_else(|| "#555555".into()),
            });
        }
    }
    let availability = match raw.availability.as_ref().and_then(|a| a.unavailable_from) {
        None => AvailableStates::default(),
        Some(v) if (1..=100).contains(&v) => AvailableStates::SeverityBelow(v as u8),
        Some(v) => {
            let path = [Seg::Key("availability".into()), Seg::Key("unavailable_from".into())];
            f.error(&path, format!("{v} is out of range; expected a severity from 1 to 100"));
            AvailableStates::default()
        }
    };
    let errors = f.diags.error_count();
    diags.extend(f.diags);
    if errors > 0 {
        return None;
    }
    let config = SiteConfig { title, base_url, languages, timezone, theme, contact, groups, availability };
    Some((config, states))
}
