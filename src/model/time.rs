//! Timestamps: RFC 3339 with offset, or a local time read in the site timezone, where a
//! time that the DST switch skips or repeats is an error naming the instants it could mean.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, SecondsFormat,
    TimeZone, Utc,
};
use chrono_tz::Tz;

/// The years a time may have (in UTC): in every timezone such a time is written with the
/// four-digit year that RFC 3339, feeds and calendars require.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9998;

/// Parse an author's timestamp. Errors are the message part of a diagnostic.
pub fn parse_timestamp(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let t = parse_any(s, tz)?;
    if !YEARS.contains(&t.year()) {
        return Err(format!(
            "`{}` is out of range; expected a year from {:04} to {:04}",
            s.trim(),
            YEARS.start(),
            YEARS.end()
        ));
    }
    Ok(t)
}

/// `t` as authors write it: RFC 3339 with the offset of the site's timezone, which reads
/// back as the same instant. Where that offset is not whole minutes (local mean time,
/// before a zone kept standard time), RFC 3339 cannot write it, and the time is in UTC.
pub fn write_timestamp(t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz).fixed_offset();
    if local.offset().local_minus_utc() % 60 == 0 {
        local.to_rfc3339_opts(SecondsFormat::Secs, false)
    } else {
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

fn parse_any(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    // RFC 3339 allows a space for `T`; YAML authors often write one.
    if let Ok(t) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = parse_local(s).ok_or_else(|| {
        format!(
            "`{s}` is not a time; expected RFC 3339 such as `2022-11-28T09:30:00+01:00`, \
             or a local time such as `2022-11-28 09:30`"
        )
    })?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Err(format!(
            "`{s}` happens twice in {tz} (the clocks go back): it could mean {} or {}; \
             write the offset to choose one",
            fmt_offset(a.fixed_offset()),
            fmt_offset(b.fixed_offset())
        )),
        LocalResult::None => {
            // The nearest real instants: the local time read with the offsets before and
            // after the gap, which are the two things the author may have meant.
            let before = tz.from_local_datetime(&(naive - chrono::Duration::hours(3)));
            let after = tz.from_local_datetime(&(naive + chrono::Duration::hours(3)));
            let mut candidates = Vec::new();
            for r in [before, after] {
                if let LocalResult::Single(t) = r {
                    let off = *t.offset();
                    let off = chrono::Offset::fix(&off);
                    if let LocalResult::Single(c) = off.from_local_datetime(&naive) {
                        candidates.push(fmt_offset(c));
                    }
                }
            }
            Err(format!(
                "`{s}` does not exist in {tz} (the clocks go forward); it could mean {}; \
                 write the offset to choose one",
                candidates.join(" or ")
            ))
        }
    }
}

fn parse_local(s: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"];
    for f in FORMATS {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

fn fmt_offset(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339()
}

/// When day `d` begins in `tz`: its local midnight, or, where the clocks skip midnight,
/// the instant they jump (midnight read with the offset before the jump).
pub fn day_start(d: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            let before = tz.offset_from_utc_datetime(&(midnight - Duration::days(1))).fix();
            before
                .from_local_datetime(&midnight)
                .single()
                .map_or_else(|| Utc.from_utc_datetime(&midnight), |t| t.with_timezone(&Utc))
        }
    }
}

/// The first instant of "the last `days` days" at `now`: today and the `days - 1` local
/// days before it, from midnight on.
pub fn last_days_start(now: DateTime<Utc>, tz: Tz, days: i64) -> DateTime<Utc> {
    day_start(now.with_timezone(&tz).date_naive() - Duration::days(days - 1), tz)
}

/// "Now" for a run: `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn resolve_now(flag: Option<&str>, tz: Tz) -> Result<DateTime<Utc>, String> {
    if let Some(s) = flag {
        return parse_timestamp(s, tz).map_err(|e| format!("--now: {e}"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH=`{epoch}` is not a number of seconds"))?;
        return DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH=`{epoch}` is out of range"));
    }
    // Whole seconds keep output stable within a second and match what authors write.
    let now = Utc::now();
    Ok(DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    #[test]
    fn rfc3339_and_local() {
        let a = parse_timestamp("2022-11-28T09:30:00+01:00", Berlin).unwrap();
        let b = parse_timestamp("2022-11-28 09:30", Berlin).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_rfc3339(), "2022-11-28T08:30:00+00:00");
        let summer = parse_timestamp("2023-07-01 12:00", Berlin).unwrap();
        assert_eq!(summer.to_rfc3339(), "2023-07-01T10:00:00+00:00");
        assert_eq!(parse_timestamp("2022-11-28T08:30:00Z", Berlin).unwrap(), a);
    }

    #[test]
    fn nonexistent_local_time_names_candidates() {
        let e = parse_timestamp("2023-03-26 02:30", Berlin).unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        assert!(e.contains("2023-03-26T02:30:00+01:00"), "{e}");
        assert!(e.contains("2023-03-26T02:30:00+02:00"), "{e}");
    }

    #[test]
    fn ambiguous_local_time_names_both_instants() {
        let e = parse_timestamp("2023-10-29 02:30", Berlin).unwrap_err();
        assert!(e.contains("happens twice"), "{e}");
        assert!(e.contains("2023-10-29T02:30:00+02:00"), "{e}");
        assert!(e.contains("2023-10-29T02:30:00+01:00"), "{e}");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for s in ["", "yesterday", "2022-13-45 99:99", "2022-11-28T25:00:00+01:00", "99999999999-01-01"] {
            assert!(parse_timestamp(s, Berlin).is_err(), "{s}");
        }
    }

    #[test]
    fn written_times_read_back_as_the_same_instant() {
        for s in ["2022-11-28 09:30", "1890-01-01 12:00", "0001-01-02 00:00", "9998-12-31 12:00"] {
            let t = parse_timestamp(s, Berlin).unwrap();
            assert_eq!(parse_timestamp(&write_timestamp(t, Berlin), Berlin), Ok(t), "{s}");
        }
        let t = parse_timestamp("2022-11-28 09:30", Berlin).unwrap();
        assert_eq!(write_timestamp(t, Berlin), "2022-11-28T09:30:00+01:00");
    }

    #[test]
    fn a_day_starts_at_midnight_or_where_the_clocks_skip_it() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // The switch to summer time in Berlin is at 02:00: midnight exists.
        assert_eq!(day_start(d("2023-03-26"), Berlin).to_rfc3339(), "2023-03-25T23:00:00+00:00");
        // Havana goes from 00:00 straight to 01:00 (CST to CDT): the day starts at the jump.
        let havana = chrono_tz::America::Havana;
        let start = day_start(d("2023-03-12"), havana);
        assert_eq!(start.to_rfc3339(), "2023-03-12T05:00:00+00:00");
        assert_eq!(start.with_timezone(&havana).to_rfc3339(), "2023-03-12T01:00:00-04:00");
        // Today and the 89 days before it.
        let now = parse_timestamp("2026-11-27T12:00:00+01:00", Berlin).unwrap();
        assert_eq!(last_days_start(now, Berlin, 90).to_rfc3339(), "2026-08-29T22:00:00+00:00");
        assert_eq!(last_days_start(now, Berlin, 1).to_rfc3339(), "2026-11-26T23:00:00+00:00");
    }

    #[test]
    fn now_flag_wins() {
        let n = resolve_now(Some("2022-12-01T00:00:00Z"), Berlin).unwrap();
        assert_eq!(n.to_rfc3339(), "2022-12-01T00:00:00+00:00");
        assert!(resolve_now(Some("soon"), Berlin).is_err());
    }
}
