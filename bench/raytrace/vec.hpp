// vec.hpp: a small 3-vector template used for points, directions and colours
// in the ray tracer.
#ifndef BENCH_RAYTRACE_VEC_HPP
#define BENCH_RAYTRACE_VEC_HPP

#include <cmath>

namespace rt {

template <typename T> struct Vec3 {
  T X{}, Y{}, Z{};

  constexpr Vec3() = default;
  constexpr Vec3(T X, T Y, T Z) : X(X), Y(Y), Z(Z) {}

  constexpr Vec3 operator+(const Vec3 &O) const {
    return {X + O.X, Y + O.Y, Z + O.Z};
  }
  constexpr Vec3 operator-(const Vec3 &O) const {
    return {X - O.X, Y - O.Y, Z - O.Z};
  }
  constexpr Vec3 operator-() const { return {-X, -Y, -Z}; }
  constexpr Vec3 operator*(T S) const { return {X * S, Y * S, Z * S}; }
  // Component-wise product, used to filter colours.
  constexpr Vec3 operator*(const Vec3 &O) const {
    return {X * O.X, Y * O.Y, Z * O.Z};
  }
  Vec3 &operator+=(const Vec3 &O) {
    X += O.X;
    Y += O.Y;
    Z += O.Z;
    return *this;
  }

  constexpr T dot(const Vec3 &O) const { return X * O.X + Y * O.Y + Z * O.Z; }
  constexpr Vec3 cross(const Vec3 &O) const {
    return {Y * O.Z - Z * O.Y, Z * O.X - X * O.Z, X * O.Y - Y * O.X};
  }
  T length() const { return std::sqrt(dot(*this)); }
  Vec3 normalized() const { return *this * (T(1) / length()); }
  T operator[](int Axis) const { return Axis == 0 ? X : Axis == 1 ? Y : Z; }
};

using Vec3d = Vec3<double>;
using Colour = Vec3<double>;

struct Ray {
  Vec3d Origin;
  Vec3d Direction; // unit length
  Vec3d at(double T) const { return Origin + Direction * T; }
};

} // namespace rt

#endif
