package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// assertEqual fails t with one line per differing field when got and want
// differ. Times compare as instants and must come back in UTC; an empty
// slice or map equals nil, since engines may return either.
func assertEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := diff("", reflect.ValueOf(got), reflect.ValueOf(want)); len(d) > 0 {
		t.Errorf("%s differs:\n\t%s", what, strings.Join(d, "\n\t"))
	}
}

func diff(path string, got, want reflect.Value) []string {
	if got.Type() != want.Type() {
		return []string{fmt.Sprintf("%s: type %v, want %v", path, got.Type(), want.Type())}
	}
	switch {
	case got.Type() == timeType:
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		switch {
		case g.IsZero() != w.IsZero() || !g.Equal(w):
			return []string{fmt.Sprintf("%s: %v, want %v", path, g, w)}
		case !g.IsZero() && g.Location() != time.UTC:
			return []string{fmt.Sprintf("%s: %v is not in UTC", path, g)}
		}
		return nil
	case got.Kind() == reflect.Struct:
		var d []string
		for i := range got.NumField() {
			d = append(d, diff(path+"."+got.Type().Field(i).Name, got.Field(i), want.Field(i))...)
		}
		return d
	case got.Kind() == reflect.Slice:
		if got.Len() != want.Len() {
			return []string{fmt.Sprintf("%s: length %d, want %d: %v, want %v", path, got.Len(), want.Len(), got, want)}
		}
		var d []string
		for i := range got.Len() {
			d = append(d, diff(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i))...)
		}
		return d
	case got.Kind() == reflect.Map:
		if got.Len() == 0 && want.Len() == 0 {
			return nil
		}
		fallthrough
	default:
		if !reflect.DeepEqual(got.Interface(), want.Interface()) {
			return []string{fmt.Sprintf("%s: %#v, want %#v", path, got.Interface(), want.Interface())}
		}
		return nil
	}
}
