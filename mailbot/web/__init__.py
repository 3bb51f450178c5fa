"""`mailbot serve`: the review pages for organizers and the published lists, over HTTP."""
