//! Status badges (`badge.svg`, `services/<id>/badge.svg`) for embedding in other pages:
//! a label and the state, in the default language. Accessible: `role="img"` with a title
//! and aria-label, the state as words, and a symbol drawn as a shape (✓ ▲ ◼ ✕ ◆, the
//! same meaning as on the pages) so colour is never the only signal and no font has to
//! carry the symbol. The width comes from a fixed table of character widths, so the same
//! text always gives the same bytes; `textLength` makes every renderer fit the text to it.

use super::feeds::xml_escape;
use super::{BuildContext, OutputFile};
use crate::model::state::Band;

const HEIGHT: u32 = 20;
const PAD: f64 = 6.0;
const ICON: f64 = 10.0;
const ICON_GAP: f64 = 4.0;
const FONT_SIZE: f64 = 11.0;

/// Advance widths of Verdana (in units of 1/2048 em) for ASCII 32..=126, the font the
/// badge asks for first. Approximations are fine: `textLength` fits the text exactly.
const VERDANA: [u16; 95] = [
    720, 823, 1157, 1856, 1424, 2400, 1670, 619, 1009, 1009, 1424, 1856, 823, 1052, 823,
    1009, // ' '..'/'
    1424, 1424, 1424, 1424, 1424, 1424, 1424, 1424, 1424, 1424, // '0'..'9'
    1009, 1009, 1856, 1856, 1856, 1257, 2215, // ':'..'@'
    1401, 1535, 1567, 1730, 1413, 1288, 1775, 1712, 945, 1029, 1532, 1254, 1890, // 'A'..'M'
    1700, 1818, 1358, 1818, 1582, 1407, 1350, 1663, 1401, 2247, 1405, 1350, 1407, // 'N'..'Z'
    1009, 1009, 1009, 1856, 1424, 1424, // '['..'`'
    1345, 1391, 1172, 1391, 1320, 800, 1391, 1389, 617, 758, 1297, 617, 2130, // 'a'..'m'
    1389, 1336, 1391, 1391, 961, 1140, 866, 1389, 1297, 1790, 1297, 1297, 1168, // 'n'..'z'
    1424, 1009, 1424, 1856, // '{'..'~'
];

fn char_units(c: char) -> u32 {
    let code = c as u32;
    if (32..=126).contains(&code) {
        return u32::from(VERDANA[(code - 32) as usize]);
    }
    match c {
        'ß' => 1400,
        c if c.is_control() => 0,
        // Wide scripts and emoji take a full em.
        _ if code >= 0x2E80 => 2048,
        c if c.is_uppercase() => 1700,
        c if c.is_alphabetic() => 1345,
        _ => 1424,
    }
}

/// Width of `s` in pixels at the badge's font size, rounded up to a tenth.
pub fn text_width(s: &str) -> f64 {
    // u64: a (rejected, but still) huge name must not overflow the sum.
    let units: u64 = s.chars().map(|c| u64::from(char_units(c))).sum();
    (units as f64 * FONT_SIZE / 2048.0 * 10.0).ceil() / 10.0
}

/// White text on `color` unless it is too light for WCAG AA contrast (4.5:1); then dark.
fn text_color(color: &str) -> &'static str {
    let hex = color.trim_start_matches('#');
    let expand = |h: &str| -> Option<[u8; 3]> {
        // Byte slicing below needs ASCII; anything else is not a hex colour anyway.
        if !h.is_ascii() {
            return None;
        }
        let v: Vec<u8> = match h.len() {
            3 => h.chars().map(|c| c.to_digit(16).map(|d| (d * 17) as u8)).collect::<Option<_>>()?,
            6 => (0..3).map(|i| u8::from_str_radix(&h[i * 2..i * 2 + 2], 16).ok()).collect::<Option<_>>()?,
            _ => return None,
        };
        Some([v[0], v[1], v[2]])
    };
    let Some(rgb) = color.starts_with('#').then(|| expand(hex)).flatten() else { return "#fff" };
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
    if 1.05 / (l + 0.05) >= 4.5 {
        "#fff"
    } else {
        "#111"
    }
}

/// The state's symbol as a shape in a 10×10 box at (x, y), in the text colour.
fn icon_shape(icon: &str, x: f64, y: f64, fg: &str) -> String {
    match icon {
        "✓" => format!(
            "<path d=\"M{:.1} {:.1}l3 3 5.5-6.5\" fill=\"none\" stroke=\"{fg}\" stroke-width=\"2\"/>",
            x + 0.5,
            y + 5.0
        ),
        "▲" => format!("<path d=\"M{:.1} {:.1}l5 9h-10z\" fill=\"{fg}\"/>", x + 5.0, y + 0.5),
        "◼" => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"{fg}\"/>",
            x + 1.0,
            y + 1.0
        ),
        "◆" => format!("<path d=\"M{:.1} {:.1}l5 5-5 5-5-5z\" fill=\"{fg}\"/>", x + 5.0, y),
        _ => format!(
            "<path d=\"M{:.1} {:.1}l7 7m0-7l-7 7\" fill=\"none\" stroke=\"{fg}\" stroke-width=\"2\"/>",
            x + 1.5,
            y + 1.5
        ),
    }
}

/// One badge: `label` on grey, then the symbol and `state_text` on the state's colour.
pub fn svg(label: &str, state_text: &str, icon: &str, color: &str) -> String {
    let label_w = text_width(label);
    let state_w = text_width(state_text);
    let left = (PAD + label_w + PAD).ceil();
    let right = (PAD + ICON + ICON_GAP + state_w + PAD).ceil();
    let width = left + right;
    let fg = text_color(color);
    let name = xml_escape(&format!("{label}: {state_text}"));
    let e = xml_escape;
    format!(
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" ",
            "role=\"img\" aria-label=\"{name}\">\n",
            "<title>{name}</title>\n",
            "<rect width=\"{w}\" height=\"{h}\" rx=\"3\" fill=\"#555\"/>\n",
            "<path d=\"M{left} 0h{rr}a3 3 0 0 1 3 3v14a3 3 0 0 1-3 3h-{rr}z\" fill=\"{color}\"/>\n",
            "<g font-family=\"Verdana,Geneva,'DejaVu Sans',sans-serif\" font-size=\"11\">\n",
            "<text x=\"{lx:.1}\" y=\"14\" fill=\"#fff\" textLength=\"{lw:.1}\">{label}</text>\n",
            "{icon}\n",
            "<text x=\"{sx:.1}\" y=\"14\" fill=\"{fg}\" textLength=\"{sw:.1}\">{state}</text>\n",
            "</g>\n",
            "</svg>\n"
        ),
        w = width,
        h = HEIGHT,
        name = name,
        left = left,
        rr = right - 3.0,
        color = e(color),
        lx = PAD,
        lw = label_w,
        label = e(label),
        icon = icon_shape(icon, left + PAD, 5.0, fg),
        sx = left + PAD + ICON + ICON_GAP,
        sw = state_w,
        fg = fg,
        state = e(state_text),
    )
}

fn badge_for(ctx: &BuildContext, label: &str, state: &str) -> String {
    let (icon, color) = ctx
        .site
        .states
        .get(state)
        .map(|s| (Band::of(&s.id, s.severity).icon(), s.color.as_str()))
        .unwrap_or(("✓", "#555"));
    svg(label, &ctx.state_label(state, 0), icon, color)
}

pub fn files(ctx: &BuildContext) -> Vec<OutputFile> {
    let mut out = vec![OutputFile::new(
        "badge.svg",
        badge_for(ctx, &ctx.plain(&ctx.site.config.title, 0), &ctx.derived.overall),
    )];
    for (si, svc) in ctx.site.services.iter().enumerate() {
        let state = &ctx.derived.services[si].current;
        out.push(OutputFile::new(
            format!("services/{}/badge.svg", svc.id),
            badge_for(ctx, &ctx.plain(&svc.name, 0), state),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_is_deterministic_and_grows_with_text() {
        assert_eq!(text_width("Status"), text_width("Status"));
        assert!(text_width("Nicht verfügbar") > text_width("Verfügbar"));
        assert!(text_width("😀") > 0.0);
    }

    #[test]
    fn light_colours_get_dark_text() {
        assert_eq!(text_color("#1b7f3b"), "#fff");
        assert_eq!(text_color("#ffd700"), "#111");
        assert_eq!(text_color("#fe0"), "#111");
        assert_eq!(text_color("red"), "#fff");
        assert_eq!(text_color("#ä1234"), "#fff");
    }
}
