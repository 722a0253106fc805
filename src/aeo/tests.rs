//! AEO applications on real databases, through the server functions a browser uses.
