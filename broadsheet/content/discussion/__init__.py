"""What readers write (comments, guestbook, letters, messages to authors) and its moderation
(app label ``discussion``)."""
