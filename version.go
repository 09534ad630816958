package ghactions

// Version is the version of this library. It is part of the default
// User-Agent, "ghactions-go/<Version>".
const Version = "0.1.0"
