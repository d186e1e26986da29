package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/traject-ocmw/traject/store"
)

// Every text that enters the API is checked here, once: a NUL byte, another
// control character or invalid UTF-8 in a query parameter or a JSON string
// is refused with 422 naming the field, before any handler (or PostgreSQL,
// which refuses a NUL byte with an error of its own) sees it.

// cleanQuery refuses a request whose query string holds unclean text.
func cleanQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var bad []FieldError
		for name, values := range r.URL.Query() {
			if !store.CleanText(name) {
				bad = append(bad, FieldError{strconv.Quote(name), "is not a parameter name"})
				continue
			}
			for _, v := range values {
				if !store.CleanText(v) {
					bad = append(bad, FieldError{name, "may not hold control characters or invalid UTF-8"})
					break
				}
			}
		}
		if len(bad) > 0 {
			writeProblem(w, r, http.StatusUnprocessableEntity, "a query parameter holds text that cannot be accepted", bad...)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// uncleanFields walks a decoded body and names, by JSON path, every string
// that is not clean text.
func uncleanFields(v any) []FieldError {
	var bad []FieldError
	walkStrings(reflect.ValueOf(v), "", func(path, s string) {
		if !store.CleanText(s) {
			bad = append(bad, FieldError{path, "may not hold control characters or invalid UTF-8"})
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
