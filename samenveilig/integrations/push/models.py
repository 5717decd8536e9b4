"""A person's devices that take push messages (Web Push subscriptions), and the server's VAPID key."""
