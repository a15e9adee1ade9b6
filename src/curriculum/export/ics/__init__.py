"""iCalendar (RFC 5545): writing a plan's calendar and reading our own calendars back."""
