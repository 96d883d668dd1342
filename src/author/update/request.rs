//! The fields of a new update from the request: the state, phase, service states and
//! texts it names are checked against the site, and each becomes a line of YAML.

use super::{TextInput, UpdateRequest};
use crate::author::yaml::{quoted, word};
use crate::author::AuthorError;
use crate::diagnostics::{one_of, suggestion};
use crate::model::time::{parse_timestamp, resolve_now, write_timestamp};
use crate::model::{IncidentKind, Phase, Site};

/// The lines of the new item of `req.id` (a service when `is_service`, else an incident),
/// checked against `site`: `at`, the state or phase and the services' states, the texts;
/// and the time as written.
pub(crate) fn item_fields(
    site: &Site,
    is_service: bool,
    req: &UpdateRequest,
) -> Result<(Vec<String>, String), AuthorError> {
    let tz = site.config.timezone;
    let at = match &req.at {
        Some(s) => parse_timestamp(s, tz).map_err(|e| AuthorError::Refused(format!("--at: {e}")))?,
        None => resolve_now(None, tz).map_err(AuthorError::Usage)?,
    };
    let at_str = write_timestamp(at, tz);

    let mut fields = vec![format!("at: {at_str}")];
    if is_service {
        fields.extend(service_fields(site, &req.id, req)?);
    } else {
        fields.extend(incident_fields(site, &req.id, req)?);
    }
    fields.extend(text_fields(site, &req.text)?);
    Ok((fields, at_str))
}

fn unknown_state(site: &Site, state: &str, what: &str) -> AuthorError {
    let ids: Vec<&str> = site.states.ids().collect();
    AuthorError::Refused(format!(
        "unknown state `{state}`{what}; expected {}{}",
        one_of(&ids),
        suggestion(state, ids.iter().copied())
    ))
}

fn service_fields(site: &Site, id: &str, req: &UpdateRequest) -> Result<Vec<String>, AuthorError> {
    if req.phase.is_some() {
        return Err(AuthorError::Usage(format!(
            "`{id}` is a service: use --status STATE (--phase is for incidents)"
        )));
    }
    if !req.set.is_empty() {
        return Err(AuthorError::Usage(format!(
            "`{id}` is a service: --set is for incidents; use --status STATE"
        )));
    }
    let Some(status) = &req.status else {
        return Err(AuthorError::Usage(format!("`{id}` is a service: --status STATE is required")));
    };
    if site.states.get(status).is_none() {
        return Err(unknown_state(site, status, ""));
    }
    Ok(vec![format!("status: {}", word(status))])
}

fn incident_fields(site: &Site, id: &str, req: &UpdateRequest) -> Result<Vec<String>, AuthorError> {
    let kind = site.incident(id).map(|i| i.kind).unwrap_or(IncidentKind::Incident);
    let what = kind.as_str();
    let a_kind = |k: IncidentKind| match k {
        IncidentKind::Incident => "an incident",
        IncidentKind::Maintenance => "a maintenance",
    };
    let this = a_kind(kind);
    if req.status.is_some() {
        return Err(AuthorError::Usage(format!(
            "`{id}` is {this}: use --phase PHASE, and --set SERVICE=STATE to change services' \
             states (--status is for services)"
        )));
    }
    let phases: Vec<&str> = kind.phases().iter().map(|p| p.as_str()).collect();
    let Some(phase) = &req.phase else {
        return Err(AuthorError::Usage(format!(
            "`{id}` is {this}: --phase is required, one of {}",
            one_of(&phases)
        )));
    };
    if !phases.contains(&phase.as_str()) {
        let other = match kind {
            IncidentKind::Incident => IncidentKind::Maintenance,
            IncidentKind::Maintenance => IncidentKind::Incident,
        };
        let hint = if Phase::parse(phase).is_some_and(|p| p.kind() == other) {
            format!(" (`{phase}` is a phase of {}, but `{id}` is {this})", a_kind(other))
        } else {
            suggestion(phase, phases.iter().copied())
        };
        return Err(AuthorError::Refused(format!(
            "unknown {what} phase `{phase}`; expected {}{hint}",
            one_of(&phases)
        )));
    }
    let mut fields = vec![format!("phase: {}", word(phase))];
    if !req.set.is_empty() {
        fields.push("set:".to_string());
        let mut seen: Vec<&str> = Vec::new();
        for (svc, state) in &req.set {
            if seen.contains(&svc.as_str()) {
                return Err(AuthorError::Usage(format!("--set names `{svc}` twice")));
            }
            seen.push(svc);
            if site.service(svc).is_none() {
                return Err(AuthorError::Refused(format!(
                    "--set: unknown service `{svc}`; expected the id of a file in content/services/{}",
                    suggestion(svc, site.services.iter().map(|s| s.id.as_str()))
                )));
            }
            if site.states.get(state).is_none() {
                return Err(unknown_state(site, state, &format!(" for `{svc}`")));
            }
            fields.push(format!("  {}: {}", word(svc), word(state)));
        }
    }
    Ok(fields)
}

/// `text: "..."` when one text serves all languages, else `text:` with one line per
/// language in the site's order.
fn text_fields(site: &Site, input: &TextInput) -> Result<Vec<String>, AuthorError> {
    let langs = &site.config.languages;
    let mut per: Vec<(&str, &str)> = Vec::new();
    for (lang, text) in &input.per_lang {
        if !langs.contains(lang) {
            return Err(AuthorError::Refused(format!(
                "`{lang}` is not a language of this site; expected {}{}",
                one_of(langs),
                suggestion(lang, langs.iter().map(String::as_str))
            )));
        }
        if per.iter().any(|(l, _)| l == lang) {
            return Err(AuthorError::Usage(format!("two texts for `{lang}`; give each language once")));
        }
        per.push((lang, text));
    }
    let all = input.all.as_deref();
    for t in per.iter().map(|(_, t)| *t).chain(all) {
        if t.trim().is_empty() {
            return Err(AuthorError::Usage("empty text; readers need to know what changed".into()));
        }
    }
    if per.is_empty() {
        return match all {
            Some(t) => Ok(vec![format!("text: {}", quoted(t))]),
            None => Err(AuthorError::Usage(format!(
                "no text; give {} (or --text TEXT for all languages)",
                langs.iter().map(|l| format!("--{l} TEXT")).collect::<Vec<_>>().join(" ")
            ))),
        };
    }
    let mut fields = vec!["text:".to_string()];
    for lang in langs {
        let text = per.iter().find(|(l, _)| l == lang).map(|(_, t)| *t).or(all);
        if let Some(t) = text {
            fields.push(format!("  {}: {}", word(lang), quoted(t)));
        }
    }
    Ok(fields)
}
