//! The project's URL rules, on the `url` crate (WHATWG URL parsing) and `percent-encoding`:
//! what a site's base URL may be ([`parse_base_url`]), the parts of it the outputs use
//! ([`site_host`], [`root_path`]), and how the link check reads a link ([`is_external`],
//! [`percent_decode`]).

use std::borrow::Cow;
use url::{Host, Url};

/// A base URL that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{url}` is not an absolute URL: {problem}; expected e.g. `https://status.example.org/`")]
pub struct BaseUrlError {
    /// The URL as given.
    pub url: String,
    pub problem: BaseUrlProblem,
}

/// What is wrong with a base URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlProblem {
    #[error("it is empty")]
    Empty,
    #[error("it contains whitespace")]
    Whitespace,
    #[error("it does not start with `http://` or `https://` and a host")]
    NotHttp,
    /// The URL parser's own reason: an invalid port or IPv6 address, an empty host, ...
    #[error("{0}")]
    Invalid(url::ParseError),
    /// Pages are found by appending paths to the base URL, which a query or a fragment
    /// would swallow.
    #[error("it has a query (`?`) or a fragment (`#`)")]
    QueryOrFragment,
}

/// Check a site's base URL (site.yaml's `base_url`, `--base-url`): an absolute `http` or
/// `https` URL written out with its host (`https://status.example.org/status/`), without
/// whitespace, query or fragment. A port, an IPv6 address and user info are allowed, and
/// so are characters the parser percent-encodes (`<`, `"`): every output escapes the URL
/// for its context. Returns it parsed (with a lowercase host, punycode for international
/// names, and a percent-encoded path). The caller trims the text first if it wants to.
pub fn parse_base_url(text: &str) -> Result<Url, BaseUrlError> {
    let fail = |problem| Err(BaseUrlError { url: text.to_string(), problem });
    if text.is_empty() {
        return fail(BaseUrlProblem::Empty);
    }
    if text.contains(char::is_whitespace) {
        return fail(BaseUrlProblem::Whitespace);
    }
    // The URL parser repairs `https:host`, `https:///host` and backslashes: a base URL
    // must be written as the absolute URL it is.
    let written_out = ["http://", "https://"].iter().any(|prefix| {
        text.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && !text[prefix.len()..].starts_with(['/', '\\'])
    });
    if !written_out {
        return fail(BaseUrlProblem::NotHttp);
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(e) => return fail(BaseUrlProblem::Invalid(e)),
    };
    if url.query().is_some() || url.fragment().is_some() {
        return fail(BaseUrlProblem::QueryOrFragment);
    }
    Ok(url)
}

/// The host of a base URL without user info and port, for UIDs, tag URIs and the API's
/// page id: lowercase, international names in punycode, an IPv6 address without its
/// brackets. `localhost` when the URL has no host (a base URL is checked when the site
/// is loaded, so only for a URL that was not).
pub fn site_host(base_url: &str) -> String {
    match Url::parse(base_url).ok().as_ref().and_then(Url::host) {
        Some(Host::Domain(d)) if !d.is_empty() => d.to_string(),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        _ => "localhost".to_string(),
    }
}

/// Where the site's root is on its host: the path of the base URL, percent-encoded as in
/// a link and ending in `/` (`https://x.org/status` → `/status/`). `/` for a URL that
/// does not parse.
pub fn root_path(base_url: &str) -> String {
    let mut path = Url::parse(base_url).map(|u| u.path().to_string()).unwrap_or_default();
    if !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// Whether a link leaves the site by itself: it names a scheme (`https:`, `mailto:`,
/// `javascript:`, ...; RFC 3986 3.1) or a host (`//cdn.example/x`). Every other link is
/// a path relative to its page or to the host's root.
pub fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    let Some((scheme, _)) = link.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `%xx` sequences decoded as UTF-8; a `%` without two hex digits stays as it is, and
/// bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> BaseUrlProblem {
        match parse_base_url(text) {
            Err(e) => e.problem,
            Ok(url) => panic!("`{text}` accepted as {url}"),
        }
    }

    #[test]
    fn base_urls_that_are_accepted() {
        for (text, serialized) in [
            ("https://status.example.org/", "https://status.example.org/"),
            ("https://status.example.org", "https://status.example.org/"),
            ("HTTP://Status.Example.ORG/Status/", "http://status.example.org/Status/"),
            ("https://status.example.org:8443/status/", "https://status.example.org:8443/status/"),
            ("https://status.example.org:443/", "https://status.example.org/"),
            ("http://[::1]:8080/", "http://[::1]:8080/"),
            ("http://127.0.0.1:8000/x/", "http://127.0.0.1:8000/x/"),
            ("https://ops:secret@status.example.org/", "https://ops:secret@status.example.org/"),
            ("https://bücher.example/stätus/", "https://xn--bcher-kva.example/st%C3%A4tus/"),
            ("https://x.example/st%C3%A4tus/", "https://x.example/st%C3%A4tus/"),
            ("https://x.example/a&b'<c>\"/", "https://x.example/a&b'%3Cc%3E%22/"),
        ] {
            let url = parse_base_url(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(url.as_str(), serialized, "{text}");
        }
    }

    #[test]
    fn base_urls_that_are_refused_say_why() {
        use BaseUrlProblem::*;
        assert_eq!(problem(""), Empty);
        assert_eq!(problem("https://status.example.org/ "), Whitespace);
        assert_eq!(problem("https://status.example.org/a b/"), Whitespace);
        for not_http in [
            "status.example.org",
            "/status/",
            "ftp://status.example.org/",
            "mailto:ops@example.org",
            "https:status.example.org",
            "https:///status.example.org/",
            "https:\\\\status.example.org\\",
        ] {
            assert_eq!(problem(not_http), NotHttp, "{not_http}");
        }
        assert_eq!(problem("https://status.example.org:99999/"), Invalid(url::ParseError::InvalidPort));
        assert_eq!(problem("https://[::1/"), Invalid(url::ParseError::InvalidIpv6Address));
        assert_eq!(problem("https://:8080/"), Invalid(url::ParseError::EmptyHost));
        assert_eq!(problem("https://"), Invalid(url::ParseError::EmptyHost));
        assert_eq!(problem("https://status.example.org/?lang=de"), QueryOrFragment);
        assert_eq!(problem("https://status.example.org/#top"), QueryOrFragment);
        let message = parse_base_url("https://x.org:99999/").unwrap_err().to_string();
        assert_eq!(
            message,
            "`https://x.org:99999/` is not an absolute URL: invalid port number; \
             expected e.g. `https://status.example.org/`"
        );
    }

    #[test]
    fn hosts_without_user_info_and_port() {
        for (url, host) in [
            ("https://status.example.org/", "status.example.org"),
            ("https://Status.Example.ORG:8443/status/", "status.example.org"),
            ("https://ops:pw@status.example.org:8443/", "status.example.org"),
            ("https://ops@status.example.org/", "status.example.org"),
            ("http://[::1]:8080/", "::1"),
            ("http://[2001:DB8::1]/x/", "2001:db8::1"),
            ("http://user@[::1]/", "::1"),
            ("http://127.0.0.1:8000/", "127.0.0.1"),
            ("https://bücher.example/", "xn--bcher-kva.example"),
            ("https://status.example.org/a@b/", "status.example.org"),
            ("not a url", "localhost"),
            ("", "localhost"),
        ] {
            assert_eq!(site_host(url), host, "{url}");
        }
    }

    #[test]
    fn root_paths_are_percent_encoded_folders() {
        for (url, path) in [
            ("https://status.example.org/", "/"),
            ("https://status.example.org", "/"),
            ("https://x.org/status/", "/status/"),
            ("https://x.org/status", "/status/"),
            ("https://x.org:8443/a/b/", "/a/b/"),
            ("http://[::1]:8080/status/", "/status/"),
            ("https://ops:pw@x.org/status/", "/status/"),
            ("https://x.org/stätus/", "/st%C3%A4tus/"),
            ("https://x.org/st%C3%A4tus/", "/st%C3%A4tus/"),
            ("https://x.org/a%20b/", "/a%20b/"),
            ("nonsense", "/"),
        ] {
            assert_eq!(root_path(url), path, "{url}");
        }
    }

    #[test]
    fn external_links_name_a_scheme_or_a_host() {
        for external in [
            "https://e.org/",
            "HTTP://e.org",
            "mailto:a@b",
            "tel:+49",
            "data:,x",
            "javascript:void(0)",
            "//cdn/x",
            "web+x:y",
        ] {
            assert!(is_external(external), "{external}");
        }
        for internal in [
            "services/x/",
            "../a:b/",
            "./a:b",
            "/status/",
            "#top",
            "?q=a:b",
            "",
            "1x:y",
            "a_b:c",
            ":x",
            "a/b:c",
        ] {
            assert!(!is_external(internal), "{internal}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%aé%41"), "%aéA");
        assert_eq!(percent_decode("st%C3%A4tus/%2F%20x"), "stätus// x");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert!(matches!(percent_decode("plain"), Cow::Borrowed("plain")));
    }
}
