#!/usr/bin/env node
// Print every occurrence of every VEVENT in an .ics file as JSON (instants in UTC),
// using ical.js (RRULE + RDATE + EXDATE expansion, RECURRENCE-ID overrides).
// Usage: node icaljs_occurrences.cjs FILE.ics [MAX_PER_EVENT]
// ical.js is found via the ICALJS_PREFIX env var (the --prefix given to npm install),
// else via normal resolution from this file / NODE_PATH.
'use strict';
const fs = require('fs');
const path = require('path');

function loadIcal() {
  const prefix = process.env.ICALJS_PREFIX;
  const paths = prefix ? [path.join(prefix, 'node_modules')] : undefined;
  // ical.js >= 2 is an ES module ("type": "module"); its package.json "exports"
  // maps require() to dist/ical.es5.cjs, so plain require() works from CommonJS.
  const main = require.resolve('ical.js', paths ? { paths } : undefined);
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8'));
  return [require(main), pkg.version];
}

const [ICAL, ICALJS_VERSION] = loadIcal();
const file = process.argv[2];
const maxPerEvent = Number(process.argv[3] || 10000);
const text = fs.readFileSync(file, 'utf8');
const root = new ICAL.Component(ICAL.parse(text));   // throws ICAL.parse.ParserError on bad input
const UTC = ICAL.Timezone.utcTimezone;

// Make VTIMEZONEs also known globally (ical.js 2 already resolves TZID through
// the root component's VTIMEZONEs; registering covers detached components).
for (const vtz of root.getAllSubcomponents('vtimezone')) {
  const tz = new ICAL.Timezone(vtz);
  if (!ICAL.TimezoneService.has(tz.tzid)) ICAL.TimezoneService.register(tz.tzid, tz);
}

function inst(t) {
  if (!t) return null;
  if (t.isDate) return { date: t.toString(), all_day: true, floating: false };
  const floating = t.zone == null || t.zone === ICAL.Timezone.localTimezone ||
                   t.zone.tzid === 'floating';
  // A TZID with no matching VTIMEZONE (and not registered) silently becomes
  // floating in ical.js: flag it so a test can fail on it.
  if (floating && t.timezone) return { utc: null, epoch: null, local: t.toString(), tzid: t.timezone,
                                       all_day: false, floating: true, unresolved_tzid: true };
  const u = floating ? t : t.convertToZone(UTC);
  return {
    utc: floating ? null : u.toString(),          // e.g. 2025-03-03T14:00:00Z
    epoch: floating ? null : t.toUnixTime(),
    local: t.toString(),                          // wall clock with zone as written
    tzid: floating ? null : t.zone.tzid,
    all_day: false,
    floating,
  };
}

const vevents = root.getAllSubcomponents('vevent');
const masters = vevents.filter((v) => !v.hasProperty('recurrence-id'));
const exceptions = vevents.filter((v) => v.hasProperty('recurrence-id'));
const out = [];
for (const comp of masters) {
  const ev = new ICAL.Event(comp, {
    exceptions: exceptions.filter((x) => x.getFirstPropertyValue('uid') === comp.getFirstPropertyValue('uid')),
  });
  const base = { uid: ev.uid, summary: ev.summary };
  if (!ev.isRecurring()) {
    out.push({ ...base, start: inst(ev.startDate), end: inst(ev.endDate), recurrence_id: null });
    continue;
  }
  const it = ev.iterator();          // honours RRULE, RDATE and EXDATE
  let n = 0;
  for (let next = it.next(); next; next = it.next()) {
    if (++n > maxPerEvent) { out[out.length - 1].truncated = true; break; }  // endless RRULE
    const d = ev.getOccurrenceDetails(next);
    out.push({ ...base, summary: d.item.summary, start: inst(d.startDate), end: inst(d.endDate),
               recurrence_id: inst(d.recurrenceId), overridden: d.item !== ev });
  }
}
// orphan overrides (RECURRENCE-ID whose master is absent) are listed as-is
for (const comp of exceptions) {
  const uid = comp.getFirstPropertyValue('uid');
  if (!masters.some((m) => m.getFirstPropertyValue('uid') === uid)) {
    const ev = new ICAL.Event(comp);
    out.push({ uid, summary: ev.summary, start: inst(ev.startDate), end: inst(ev.endDate),
               recurrence_id: inst(ev.recurrenceId), orphan: true });
  }
}
const key = (o) => o.start.epoch ?? (o.start.date ? Date.parse(o.start.date + 'T00:00:00Z') / 1000 : 0);
out.sort((a, b) => key(a) - key(b) || String(a.uid).localeCompare(String(b.uid)));
process.stdout.write(JSON.stringify({ icaljs_version: ICALJS_VERSION, occurrences: out }, null, 1) + '\n');
