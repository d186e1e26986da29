package domain

// FieldProblem names one field of a request that is missing or malformed.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}
