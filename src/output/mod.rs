//! Writing the site: pages, feeds, the status API, iCalendar, badges and the atomic swap.
