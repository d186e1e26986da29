package casework

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
)

// Decode reads one strict JSON object into v, for both doors (the pages
// send their forms' fields as the API's JSON): no unknown field, one value,
// every text clean. Its errors are kinds the error table answers: a body
// that cannot be read (BodyError), text that cannot be kept (InvalidError).
func Decode(body io.Reader, v any) error {
	raw, err := io.ReadAll(body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &BodyError{TooLarge: true, Err: err}
	} else if err != nil {
		return &BodyError{Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			return &BodyError{Err: errors.New("more than one JSON value")}
		}
		if bad := UncleanFields(v); len(bad) > 0 {
			return &InvalidError{Fields: bad}
		}
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return &BodyError{Err: err, Fields: []domain.FieldProblem{domain.Problem(typeErr.Field, domain.WrongType, typeErr.Type.String())}}
	}
	// A period a policy cannot read: the body says where it is.
	var period *policy.PeriodError
	if errors.As(err, &period) {
		if field, ok := pathOf(raw, period.Value); ok {
			return &BodyError{Err: err, Fields: []domain.FieldProblem{domain.Problem(field, domain.Period, period.Value)}}
		}
	}
	// encoding/json says which field is unknown only in its message's
	// text; the body itself, read against v's type, names it.
	if field, ok := unknownField(raw, reflect.TypeOf(v)); ok {
		return &BodyError{Err: err, Fields: []domain.FieldProblem{domain.Problem(field, domain.UnknownField)}}
	}
	return &BodyError{Err: err}
}

// pathOf finds where a string value stands in a JSON document.
func pathOf(raw []byte, value string) (string, bool) {
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return "", false
	}
	var find func(v any, path string) (string, bool)
	find = func(v any, path string) (string, bool) {
		switch v := v.(type) {
		case string:
			return path, v == value
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if p, ok := find(v[k], join(path, k)); ok {
					return p, true
				}
			}
		case []any:
			for i, e := range v {
				if p, ok := find(e, path+"["+strconv.Itoa(i)+"]"); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	return find(doc, "")
}

// unknownField finds the first member of a JSON object that type t (a
// struct, or a pointer, slice or map of one) has no field for, as a path
// such as contract.trainings[0].cod.
func unknownField(raw []byte, t reflect.Type) (string, bool) {
	var value any
	if json.Unmarshal(raw, &value) != nil {
		return "", false
	}
	return unknownIn(value, t, "")
}

func unknownIn(value any, t reflect.Type, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := value.(type) {
	case map[string]any:
		if t.Kind() == reflect.Map {
			for k, member := range v {
				if f, ok := unknownIn(member, t.Elem(), join(path, k)); ok {
					return f, true
				}
			}
			return "", false
		}
		if t.Kind() != reflect.Struct {
			return "", false
		}
		fields := jsonFields(t)
		for _, k := range slices.Sorted(maps.Keys(v)) {
			ft, ok := fields[k]
			if !ok {
				ft, ok = fields[strings.ToLower(k)]
			}
			if !ok {
				return join(path, k), true
			}
			if f, ok := unknownIn(v[k], ft, join(path, k)); ok {
				return f, true
			}
		}
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return "", false
		}
		for i, e := range v {
			if f, ok := unknownIn(e, t.Elem(), path+"["+strconv.Itoa(i)+"]"); ok {
				return f, true
			}
		}
	}
	return "", false
}

// jsonFields maps a struct's JSON names to their types, embedded structs'
// fields included, as encoding/json reads them (case-insensitively).
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			maps.Copy(out, jsonFields(f.Type))
			continue
		case name == "":
			name = f.Name
		}
		out[name] = f.Type
	}
	// encoding/json matches names without regard to case
	for name, ft := range maps.Clone(out) {
		out[strings.ToLower(name)] = ft
	}
	return out
}

// UncleanFields walks a decoded body and names, by JSON path, every string
// that is not clean text.
func UncleanFields(v any) []domain.FieldProblem {
	var bad []domain.FieldProblem
	walkStrings(reflect.ValueOf(v), "", func(path, s string) {
		if !store.CleanText(s) {
			bad = append(bad, domain.Problem(path, domain.NotText))
		}
	})
	return bad
}

func walkStrings(v reflect.Value, path string, visit func(path, s string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, visit)
		}
	case reflect.String:
		visit(path, v.String())
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", visit)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := join(path, iter.Key().String())
			if iter.Key().Kind() == reflect.String {
				visit(key, iter.Key().String())
			}
			walkStrings(iter.Value(), key, visit)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				walkStrings(v.Field(i), path, visit)
				continue
			}
			if name == "" {
				name = f.Name
			}
			walkStrings(v.Field(i), join(path, name), visit)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// CheckPath refuses, as not found, a path whose parameters cannot name
// anything: an {id} that is not a UUID, an {n} that is not a positive
// whole number, any parameter that is not clean text. Both doors check
// every route's parameters with it before a handler (or PostgreSQL, which
// refuses a NUL byte with an error of its own) sees them.
func CheckPath(names, values []string) error {
	for i, name := range names {
		if i >= len(values) {
			break
		}
		v := values[i]
		ok := store.CleanText(v)
		switch name {
		case "id", "note", "letter", "place":
			_, err := uuid.Parse(v)
			ok = ok && err == nil && len(v) == 36
		case "n":
			n, err := strconv.Atoi(v)
			ok = ok && err == nil && n > 0 && strconv.Itoa(n) == v
		}
		if !ok {
			return &store.NotFoundError{What: name}
		}
	}
	return nil
}
