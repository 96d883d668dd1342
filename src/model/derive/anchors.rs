//! Update anchors (`u-20221128t083000z`): made from an update's time alone and given in
//! file order, so that a link to an update survives edits to the rest of its file.

use crate::model::IncidentRecord;
use chrono::{DateTime, Datelike, Timelike, Utc};

/// `u-20221128t083000z`: stable as long as the update's time is, whatever else changes.
fn anchor_for(at: DateTime<Utc>, taken: &mut Vec<String>) -> String {
    // Fields, not a strftime pattern: chrono parses a pattern on every call, and a large
    // site has tens of thousands of updates.
    let base = format!(
        "u-{:04}{:02}{:02}t{:02}{:02}{:02}z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    let mut a = base.clone();
    let mut n = 2;
    while taken.contains(&a) {
        a = format!("{base}-{n}");
        n += 1;
    }
    taken.push(a.clone());
    a
}

/// Anchors for a list of times in file order, so that adding an update later in the
/// file never renames an earlier one.
pub(super) fn anchors_in_file_order(times: &[(usize, DateTime<Utc>)]) -> Vec<String> {
    let mut by_ordinal: Vec<(usize, usize, DateTime<Utc>)> =
        times.iter().enumerate().map(|(pos, (ord, at))| (*ord, pos, *at)).collect();
    by_ordinal.sort();
    let mut taken = Vec::new();
    let mut out = vec![String::new(); times.len()];
    for (_, pos, at) in by_ordinal {
        out[pos] = anchor_for(at, &mut taken);
    }
    out
}

impl IncidentRecord {
    /// Give every update its anchor. The loader calls it; anchors depend on the file
    /// alone, so they are made once per file rather than at every render.
    pub fn set_anchors(&mut self) {
        let anchors =
            anchors_in_file_order(&self.updates.iter().map(|u| (u.ordinal, u.at)).collect::<Vec<_>>());
        for (u, a) in self.updates.iter_mut().zip(anchors) {
            u.anchor = a;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2022, 11, 28, h, 0, 0).unwrap()
    }

    #[test]
    fn anchors_are_stable_when_updates_are_added() {
        let a = anchors_in_file_order(&[(0, t(9)), (1, t(11))]);
        let b = anchors_in_file_order(&[(0, t(9)), (2, t(10)), (1, t(11))]);
        assert_eq!(a[0], b[0]);
        assert_eq!(a[1], b[2]);
        let dup = anchors_in_file_order(&[(0, t(9)), (1, t(9))]);
        assert_eq!(dup[1], format!("{}-2", dup[0]));
    }
}
