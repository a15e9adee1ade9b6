"""Publishing a plan to a CalDAV calendar server (the optional extra ``curriculum[caldav]``)."""
