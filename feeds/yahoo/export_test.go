package yahoo

// SessionPathIn lets the external fault suite find the session file.
var SessionPathIn = sessionPathIn
