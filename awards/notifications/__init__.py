"""Notifications: every message is stored for its recipient, shown in the in-app inbox, and mailed when SMTP is
set. Features that notify call `awards.notifications.services.notify` and find recipients in `queries`."""
