// shapes.hpp: the geometric primitives of the ray tracer behind one abstract
// interface, so the scene can hold any mix of them.
#ifndef BENCH_RAYTRACE_SHAPES_HPP
#define BENCH_RAYTRACE_SHAPES_HPP

#include "vec.hpp"

#include <optional>

namespace rt {

struct Material {
  Colour Albedo;
  double Reflectivity = 0.0; // share of light taken from the mirror direction
  bool Checkered = false;    // alternate Albedo with its half on a 1-unit grid
};

struct Hit {
  double Distance;
  Vec3d Point;
  Vec3d Normal; // unit length, facing against the incoming ray
  const Material *Surface;
};

class Shape {
public:
  explicit Shape(Material M) : Surface(M) {}
  virtual ~Shape() = default;
  // The nearest intersection with Distance in (MinT, MaxT), if any.
  virtual std::optional<Hit> intersect(const Ray &R, double MinT,
                                       double MaxT) const = 0;
  virtual const char *kind() const = 0;

protected:
  Material Surface;
};

class Sphere final : public Shape {
public:
  Sphere(Vec3d Centre, double Radius, Material M)
      : Shape(M), Centre(Centre), Radius(Radius) {}
  std::optional<Hit> intersect(const Ray &R, double MinT,
                               double MaxT) const override;
  const char *kind() const override { return "sphere"; }

private:
  Vec3d Centre;
  double Radius;
};

class Plane final : public Shape {
public:
  Plane(Vec3d Normal, double Offset, Material M)
      : Shape(M), Normal(Normal.normalized()), Offset(Offset) {}
  std::optional<Hit> intersect(const Ray &R, double MinT,
                               double MaxT) const override;
  const char *kind() const override { return "plane"; }

private:
  Vec3d Normal; // points satisfy Normal . P == Offset
  double Offset;
};

class Box final : public Shape {
public:
  Box(Vec3d Min, Vec3d Max, Material M) : Shape(M), Min(Min), Max(Max) {}
  std::optional<Hit> intersect(const Ray &R, double MinT,
                               double MaxT) const override;
  const char *kind() const override { return "box"; }

private:
  Vec3d Min, Max; // axis-aligned corners
};

class Triangle final : public Shape {
public:
  Triangle(Vec3d A, Vec3d B, Vec3d C, Material M)
      : Shape(M), A(A), EdgeAB(B - A), EdgeAC(C - A),
        Normal(EdgeAB.cross(EdgeAC).normalized()) {}
  std::optional<Hit> intersect(const Ray &R, double MinT,
                               double MaxT) const override;
  const char *kind() const override { return "triangle"; }

private:
  Vec3d A, EdgeAB, EdgeAC, Normal;
};

} // namespace rt

#endif
