"""The intake form's parts: caller, children, situation, perpetrators, pickers for codes and
places, the caller's history and the routing pane."""
