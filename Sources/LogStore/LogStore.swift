// The LogStore module.
