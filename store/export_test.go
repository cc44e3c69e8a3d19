package store

// MapErr lets the tests check how driver errors are recognised.
var MapErr = mapErr
